extern alias bench;

using bench::Dialoog.Benchmarks;
using Dialoog.Testing;
using Xunit.Abstractions;

namespace Dialoog.Durable.Tests;

/// <summary>
/// The waiting benchmark, reduced: hundreds of processes each waiting for a reply or its reminder at once. It proves
/// the reminders fire, once, never early and not wildly late; the real lateness figures come from the benchmark.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class WaitingInstancesTests(DevStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task WaitingInstances_300_EveryReminderFiresOnce_RepliesWinTheirRace_NoneWildlyLate()
    {
        var options = new WaitingOptions
        {
            Count = 300,
            FirstDue = TimeSpan.FromSeconds(8),
            Spread = TimeSpan.FromSeconds(8),
            Timeout = TimeSpan.FromMinutes(2),
        };

        var result = await new WaitingRun(options, output.WriteLine).RunAsync(stack.StorageConnectionString);

        Assert.True(result.Passed, "the run reported failures (see the output)");
        // Each process woke exactly once, by the path it was meant to, and completed saying so.
        var wakes = result.Wakes.Reminders.Select(r => r.InstanceId).Concat(result.Wakes.Replies).ToList();
        Assert.Equal(300, wakes.Count);
        Assert.Equal(300, wakes.Distinct().Count());
        Assert.Equal(300, result.Outcomes.Count);
        Assert.NotEmpty(result.RepliedTo);
        Assert.All(result.Outcomes, o => Assert.Equal(result.RepliedTo.Contains(o.Key) ? "reply" : "reminder", o.Value));
        Assert.Equal(300 - result.RepliedTo.Count, result.Wakes.Reminders.Count);
        // Never early; late by at most a bound that a busy 2-core CI machine keeps (typically about a second).
        var lateness = result.Wakes.Reminders.Select(r => r.Lateness.TotalMilliseconds).ToList();
        Assert.All(lateness, ms => Assert.True(ms >= 0, $"a reminder fired {-ms:F0} ms early"));
        Assert.InRange((double)result.Report.Values["timerLatenessP99Ms"], 0, 15_000);
    }
}
