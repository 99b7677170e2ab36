using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace Dialoog.Benchmarks;

/// <summary>When a waiting process's reminder is due.</summary>
public sealed record WaitingInput(DateTimeOffset FireAt);

/// <summary>What a waiting process reports when it wakes: its reminder's due time, and whether a reply woke it.</summary>
public sealed record WakeReport(DateTimeOffset FireAt, bool Replied);

/// <summary>
/// A dialogue process waiting for a reply or its reminder, whichever comes first: a durable timer and an external
/// event armed at once. Whichever wins, an activity reports the wake-up; the other wait is cancelled.
/// </summary>
public sealed class WaitingProcess : TaskOrchestrator<WaitingInput, string>
{
    public const string ReplyEvent = "reply";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, WaitingInput input)
    {
        using var cancel = new CancellationTokenSource();
        var reply = context.WaitForExternalEvent<string>(ReplyEvent, cancel.Token);
        var reminder = context.CreateTimer(input.FireAt.UtcDateTime, cancel.Token);
        var winner = await Task.WhenAny(reply, reminder);
        // The Azure Storage provider delays queue messages in whole seconds, so a timer can fire up to a second early;
        // the app's processes wait again for the rest (DialogueInbox re-checks its deadline), and so does this one.
        while (winner == reminder && context.CurrentUtcDateTime < input.FireAt.UtcDateTime)
        {
            reminder = context.CreateTimer(input.FireAt.UtcDateTime, cancel.Token);
            winner = await Task.WhenAny(reply, reminder);
        }

#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool: orchestrator code must stay on its own thread.
        cancel.Cancel();
#pragma warning restore CA1849
        var replied = winner == reply;
        await context.CallActivityAsync(nameof(ReportWake), new WakeReport(input.FireAt, replied));
        return replied ? "reply" : "reminder";
    }
}

/// <summary>Records a wake-up; for a reminder, how late it came (the wall clock now minus when it was due).</summary>
public sealed class ReportWake(WakeLog log) : TaskActivity<WakeReport, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, WakeReport report)
    {
        if (report.Replied)
        {
            log.Replies.Enqueue(context.InstanceId);
        }
        else
        {
            log.Reminders.Enqueue((context.InstanceId, DateTimeOffset.UtcNow - report.FireAt));
        }

        return Task.FromResult(0);
    }
}

/// <summary>Every execution of <see cref="ReportWake"/> in this process, repeats included, so a test can see them.</summary>
public sealed class WakeLog
{
    public ConcurrentQueue<(string InstanceId, TimeSpan Lateness)> Reminders { get; } = new();

    public ConcurrentQueue<string> Replies { get; } = new();

    public int Count => Reminders.Count + Replies.Count;
}
