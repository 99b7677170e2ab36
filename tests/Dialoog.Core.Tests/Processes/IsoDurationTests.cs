using System.Text.Json;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Tests.Processes;

public sealed class IsoDurationTests
{
    public static TheoryData<string, TimeSpan> Canonical => new()
    {
        { "P14D", TimeSpan.FromDays(14) },
        { "PT30S", TimeSpan.FromSeconds(30) },
        { "PT1H30M", TimeSpan.FromMinutes(90) },
        { "P1DT2H", TimeSpan.FromHours(26) },
        { "P2DT3H4M5S", new TimeSpan(2, 3, 4, 5) },
        { "PT0.5S", TimeSpan.FromMilliseconds(500) },
        { "PT1.0000001S", TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1) },
        { "PT0S", TimeSpan.Zero },
        { "-P1D", TimeSpan.FromDays(-1) },
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Format_CanonicalForm_RoundTrips(string text, TimeSpan duration)
    {
        Assert.Equal(duration, IsoDuration.Parse(text));
        Assert.Equal(text, IsoDuration.Format(duration));
    }

    [Theory]
    [InlineData("P2W", "P14D")]
    [InlineData("P1Y", "P365D")]
    [InlineData("P4Y", "P1460D")]
    [InlineData("P1M", "P30D")]
    [InlineData("P3M", "P90D")]
    [InlineData("PT90M", "PT1H30M")]
    [InlineData("PT36H", "P1DT12H")]
    [InlineData("P1Y2M3W4DT5H6M7.25S", "P450DT5H6M7.25S")]
    [InlineData("pt2h", "PT2H")]
    [InlineData("PT0,25S", "PT0.25S")]
    [InlineData("P0D", "PT0S")]
    public void Parse_OtherForms_WriteShortestCanonicalForm(string text, string canonical) =>
        Assert.Equal(canonical, IsoDuration.Format(IsoDuration.Parse(text)));

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("3D")]
    [InlineData("P3")]
    [InlineData("P1.5D")]
    [InlineData("PT1.5H")]
    [InlineData("PT1H2H")]
    [InlineData("P1D1Y")]
    [InlineData("PT1S1M")]
    [InlineData("P1H")]
    [InlineData("PT1D")]
    [InlineData("P 1D")]
    [InlineData("P1DX")]
    [InlineData("PT1.2.3S")]
    [InlineData("PT.5S")]
    [InlineData("PT5.S")]
    [InlineData("P-1D")]
    [InlineData("1 dag")]
    [InlineData("02:00:00")]
    [InlineData("P99999999999999D")]
    [InlineData("P30000Y")]
    public void Parse_Junk_IsRejected(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _));
        var exception = Assert.Throws<FormatException>(() => IsoDuration.Parse(text));
        Assert.Equal(IsoDuration.Invalid, exception.Message);
    }

    [Fact]
    public void Converter_ReadsAndWritesDurationsAndNullables()
    {
        var policy = JsonSerializer.Deserialize<ProcessPolicy>("""{ "replyDeadline": "P3D", "followUpPeriod": "P4Y", "progressCheckCadence": null }""", DefinitionJson.Options)!;

        Assert.Equal(TimeSpan.FromDays(3), policy.ReplyDeadline);
        Assert.Equal(TimeSpan.FromDays(1460), policy.FollowUpPeriod);
        Assert.Null(policy.ProgressCheckCadence);

        var json = JsonSerializer.Serialize(policy with { ReminderCadence = TimeSpan.FromMinutes(90) }, DefinitionJson.Options);
        Assert.Contains("\"replyDeadline\":\"P3D\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reminderCadence\":\"PT1H30M\"", json, StringComparison.Ordinal);
        Assert.Contains("\"followUpPeriod\":\"P1460D\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("progressCheckCadence", json, StringComparison.Ordinal);
        Assert.Equal(policy with { ReminderCadence = TimeSpan.FromMinutes(90) }, JsonSerializer.Deserialize<ProcessPolicy>(json, DefinitionJson.Options));
    }

    [Theory]
    [InlineData("""{ "replyDeadline": "3 dagen" }""")]
    [InlineData("""{ "replyDeadline": 3 }""")]
    [InlineData("""{ "replyDeadline": "14.00:00:00" }""")]
    [InlineData("""{ "followUpPeriod": "P4J" }""")]
    public void Converter_Junk_ThrowsJsonExceptionWithDutchMessage(string json)
    {
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProcessPolicy>(json, DefinitionJson.Options));

        Assert.Equal("Geen geldige duur. Gebruik ISO-8601, bijvoorbeeld P3D (3 dagen) of PT2H (2 uur).", exception.Message);
        Assert.StartsWith("$.", exception.Path, StringComparison.Ordinal);
    }
}
