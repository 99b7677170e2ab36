extern alias bench;

using bench::Dialoog.Benchmarks;
using Dialoog.Testing;
using Xunit.Abstractions;

namespace Dialoog.Core.Tests.Load;

/// <summary>
/// The waiting benchmark, reduced: a hundred processes on the Durable Task engine each waiting for a reply or its
/// reminder (a durable timer) at once. It proves the reminders fire, once, never early and not wildly late; the real
/// lateness figures come from the benchmark.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class WaitingRunTests(DevStackFixture stack, ITestOutputHelper output)
{
    private const int Count = 100;

    [Fact]
    public async Task WaitingInstances_EveryReminderFiresOnce_RepliesWinTheirRace_NoneEarlyOrWildlyLate()
    {
        var options = new WaitingOptions
        {
            Count = Count,
            FirstDue = TimeSpan.FromSeconds(15),
            Spread = TimeSpan.FromSeconds(10),
            Timeout = TimeSpan.FromMinutes(3),
        };

        var result = await new WaitingRun(options, output.WriteLine).RunAsync(stack.StorageConnectionString);

        Assert.True(result.Passed, "the run reported failures (see the output)");
        // Each process woke once, by the path it was meant to, and completed saying so. (Activities run at least once,
        // so a wake-up may be reported twice by a repeated activity; the outcome of each process is what counts.)
        Assert.Equal(Count, result.Outcomes.Count);
        Assert.NotEmpty(result.RepliedTo);
        Assert.All(result.Outcomes, o => Assert.Equal(result.RepliedTo.Contains(o.Key) ? "reply" : "reminder", o.Value));
        Assert.Equal(Count - result.RepliedTo.Count, result.Wakes.Reminders.Select(r => r.InstanceId).Distinct().Count());
        // Never early; late by at most a bound that a busy 2-core CI machine keeps.
        var lateness = result.Wakes.Reminders.Select(r => r.Lateness.TotalMilliseconds).ToList();
        Assert.All(lateness, ms => Assert.True(ms >= 0, $"a reminder fired {-ms:F0} ms early"));
        Assert.InRange((double)result.Report.Values["timerLatenessP99Ms"], 0, 15_000);
    }
}
