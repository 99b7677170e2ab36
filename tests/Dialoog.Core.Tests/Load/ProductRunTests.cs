extern alias bench;

using bench::Dialoog.Benchmarks.Product;
using Xunit.Abstractions;

namespace Dialoog.Core.Tests.Load;

/// <summary>
/// The reduced scale, chaos and product runs: the same programs as the README's benchmark commands (real app in
/// worker processes, Azurite, the SMTP sink, replies through the links), only smaller and with shorter durations.
/// Each run checks everything itself; a failure lists what went wrong.
/// </summary>
[Collection(ProductRunCollection.Name)]
public sealed class ProductRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ScaleRun_TwoWorkerProcesses_EveryInvitationOnce_NoReplyLost_RemindersOnlyToNonResponders()
    {
        var report = await new ScaleRun(Small(processes: 8), output.WriteLine).RunAsync();

        AssertPassed(report);
        Assert.Equal(8 * 8, Convert.ToInt32(report.Figures["invitations"]));
    }

    [Fact]
    public async Task ChaosRun_KillsAzuriteRestartMailOutageAndThrottling_NothingLostOrDuplicatedOrStuck()
    {
        var options = Small(processes: 8) with
        {
            ReplyDeadline = TimeSpan.FromSeconds(80),
            Chaos = new ChaosOptions
            {
                Kills = 3,
                RestartAzurite = true,
                SmtpOutage = TimeSpan.FromSeconds(15),
                StandInFaults = 20,
                Window = TimeSpan.FromSeconds(30),
            },
        };

        var report = await new ScaleRun(options, output.WriteLine).RunAsync();

        AssertPassed(report);
        // Every fault did happen.
        int Figure(string name) => Convert.ToInt32(report.Figures[name]);
        Assert.Equal((3, 1, 15, 20), (Figure("chaosKills"), Figure("chaosAzuriteRestarts"), Figure("chaosSmtpOutageSeconds"), Figure("chaosStandInFaults")));
    }

    [Fact]
    public async Task ProductBenchmark_StandardProcessEndToEnd_CountsStorageAndMail()
    {
        var report = await new ProductBenchmark(new ProductSize(1, [(20, 2)], WarmReplies: 3, IdleReplies: 0), output.WriteLine).RunAsync();

        AssertPassed(report);
        // Per process: one invitation and one confirmation per participant, one e-mail per agreed action, one summary.
        // (Reminder counts depend on timing, so they are figures, not assertions.)
        double PerProcess(string kind) => Convert.ToDouble(report.Figures["emailsPerProcess." + kind]);
        Assert.Equal((20.0, 20.0, 5.0, 1.0), (PerProcess("Invitation"), PerProcess("ReplyConfirmation"), PerProcess("ActionAssigned"), PerProcess("ProcessSummary")));
        Assert.InRange(Convert.ToDouble(report.Figures["storageTransactionsPerProcess"]), 100, 5000);
    }

    private static ScaleOptions Small(int processes) => new()
    {
        Processes = processes,
        Participants = 8,
        Workers = 2,
        ReminderCadence = TimeSpan.FromSeconds(15),
        ReplyDeadline = TimeSpan.FromSeconds(40),
        Limit = TimeSpan.FromMinutes(4),
    };

    private void AssertPassed(RunReport report)
    {
        report.Print(output.WriteLine);
        Assert.True(report.Passed, "The run found problems:\n" + string.Join('\n', report.Failures));
    }
}

/// <summary>These runs start worker processes and their own Azurite: alone, after the rest, so they measure nothing else.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProductRunCollection
{
    public const string Name = "Product runs";
}
