using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Tests.Processes;

public sealed class AmsterdamTimeTests
{
    [Fact]
    public void ToUtc_WinterTime_IsOneHourAhead() =>
        Assert.Equal(new DateTime(2026, 1, 15, 18, 30, 0, DateTimeKind.Utc), AmsterdamTime.ToUtc(new DateTime(2026, 1, 15, 19, 30, 0)));

    [Fact]
    public void ToUtc_SummerTime_IsTwoHoursAhead() =>
        Assert.Equal(new DateTime(2026, 6, 15, 17, 30, 0, DateTimeKind.Utc), AmsterdamTime.ToUtc(new DateTime(2026, 6, 15, 19, 30, 0)));

    [Fact]
    public void ToUtc_SkippedHourInMarch_CountsWithOffsetBeforeTheJump()
    {
        // On 29 March 2026 clocks go from 02:00 to 03:00; 02:30 does not exist and means 03:30 summer time (RFC 5545).
        var utc = AmsterdamTime.ToUtc(new DateTime(2026, 3, 29, 2, 30, 0));

        Assert.Equal(new DateTime(2026, 3, 29, 1, 30, 0, DateTimeKind.Utc), utc);
        Assert.Equal(new DateTime(2026, 3, 29, 3, 30, 0), AmsterdamTime.FromUtc(utc));
    }

    [Fact]
    public void ToUtc_RepeatedHourInOctober_MeansTheFirstOne()
    {
        // On 25 October 2026 clocks go from 03:00 back to 02:00; 02:30 happens twice, first in summer time (RFC 5545).
        Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), AmsterdamTime.ToUtc(new DateTime(2026, 10, 25, 2, 30, 0)));
    }

    [Fact]
    public void FromUtc_AcrossTheOctoberChange_ShowsTheRepeatedHourTwice()
    {
        Assert.Equal(new DateTime(2026, 10, 25, 2, 30, 0), AmsterdamTime.FromUtc(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2026, 10, 25, 2, 30, 0), AmsterdamTime.FromUtc(new DateTime(2026, 10, 25, 1, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(DateTimeKind.Unspecified, AmsterdamTime.FromUtc(new DateTime(2026, 10, 25, 1, 30, 0, DateTimeKind.Utc)).Kind);
    }

    [Fact]
    public void ToUtc_SessionAcrossTheMarchChange_LastsOneHourLessThanTheWallClockSays()
    {
        var start = AmsterdamTime.ToUtc(new DateTime(2026, 3, 29, 1, 0, 0));
        var end = AmsterdamTime.ToUtc(new DateTime(2026, 3, 29, 4, 0, 0));

        Assert.Equal(TimeSpan.FromHours(2), end - start);
    }

    [Fact]
    public void ToUtc_UtcAndLocalKinds_AreInstantsAlready()
    {
        var utc = new DateTime(2026, 6, 15, 17, 30, 0, DateTimeKind.Utc);

        Assert.Equal(utc, AmsterdamTime.ToUtc(utc));
        Assert.Equal(utc, AmsterdamTime.ToUtc(utc.ToLocalTime()));
    }
}
