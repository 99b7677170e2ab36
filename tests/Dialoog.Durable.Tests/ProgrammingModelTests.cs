using Dialoog.Durable.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Durable.Tests;

/// <summary>Every member of the programming model on the in-memory store, with time under the test's control.</summary>
public sealed class ProgrammingModelTests : IAsyncLifetime
{
    private DurableTestHost _host = null!;
    private readonly ActivityLog _log = new();

    public Task InitializeAsync()
    {
        _host = NewHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private DurableTestHost NewHost(Action<DurableRegistry>? extra = null) => new(
        r =>
        {
            r.AddActivity<Echo>().AddActivity<Flaky>()
                .AddOrchestrator<HelloSequence>()
                .AddOrchestrator<LongTimer>()
                .AddOrchestrator<EventOrTimeout>()
                .AddOrchestrator<Parent>()
                .AddOrchestrator<Child>()
                .AddOrchestrator<FailingChild>()
                .AddOrchestrator<RetryingCaller>()
                .AddOrchestrator<Counter>()
                .AddOrchestrator<WaitsForever>()
                .AddOrchestrator<Deterministic>()
                .AddOrchestrator<UsesTaskDelay>()
                .AddOrchestrator<BigStatus>()
                .AddOrchestrator<Sender>();
            extra?.Invoke(r);
        },
        s => s.AddSingleton(_log),
        // UsesTaskDelay is wrong on purpose, to show the replay-time check; the start-up check would refuse it.
        o => o.ValidateOrchestratorCode = false);

    [Fact]
    public async Task HelloSequence_FiveActivities_CompletesWithResultsInOrderAndEachActivityOnce()
    {
        var id = await _host.Client.StartNewAsync(nameof(HelloSequence), "Utrecht");
        await _host.RunUntilIdleAsync();

        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(["echo:Tokyo", "echo:Seattle", "echo:London", "echo:Amsterdam", "echo:Utrecht"], status.ReadOutputAs<List<string>>());
        Assert.Equal(5, _log.CountFor(nameof(Echo)));
        Assert.Equal(5, _log.Calls.Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.All(_log.Calls, c => Assert.Equal(id, c.InstanceId));
    }

    [Fact]
    public async Task StartNew_SameInstanceIdTwice_IsIdempotent()
    {
        var first = await _host.Client.StartNewAsync(nameof(HelloSequence), "a", instanceId: "fixed-id");
        var second = await _host.Client.StartNewAsync(nameof(HelloSequence), "b", instanceId: "fixed-id");
        await _host.RunUntilIdleAsync();

        Assert.Equal(first, second);
        Assert.Equal("echo:a", (await _host.StatusAsync("fixed-id")).ReadOutputAs<List<string>>()![^1]);
        Assert.Equal(5, _log.CountFor(nameof(Echo)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("line\nbreak")]
    public async Task StartNew_InvalidInstanceId_IsRefused(string instanceId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _host.Client.StartNewAsync(nameof(HelloSequence), "x", instanceId));
    }

    [Fact]
    public async Task StartNew_UnknownOrchestrator_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _host.Client.StartNewAsync("Nope"));
        Assert.Contains("'Nope' is not registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduledStart_RunsOnlyAtItsTime()
    {
        // Further away than a queue message can wait (7 days): re-armed on the way.
        var id = await _host.Client.StartNewAsync(nameof(HelloSequence), "later", startAt: _host.Time.GetUtcNow().AddDays(10));
        await _host.AdvanceAsync(TimeSpan.FromDays(9));
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await _host.StatusAsync(id)).RuntimeStatus);

        await _host.AdvanceAsync(TimeSpan.FromDays(2));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await _host.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task Timer_LongerThanSevenDays_FiresAtItsTimeAfterRearming()
    {
        var start = _host.Time.GetUtcNow();
        var id = await _host.Client.StartNewAsync(nameof(LongTimer), 45);
        await _host.AdvanceAsync(TimeSpan.FromDays(44));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await _host.StatusAsync(id)).RuntimeStatus);
        Assert.Equal(0, _log.CountFor(nameof(Echo)));

        await _host.AdvanceAsync(TimeSpan.FromDays(2));
        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        var firedAt = DateTimeOffset.Parse(status.ReadOutputAs<string>()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(start.AddDays(45), firedAt);
    }

    [Fact]
    public async Task Event_RaisedBeforeTheWait_IsKeptUntilTheOrchestratorAsks()
    {
        // Raised right after start, before the first episode ran: a known loss in other runtimes.
        var id = await _host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        await _host.Client.RaiseEventAsync(id, "Reply", "ja");
        await _host.RunUntilIdleAsync();

        Assert.Equal("event:ja", (await _host.StatusAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Event_RaisedAfterTheWait_WinsAgainstTimer_AndTheTimerIsIgnoredLater()
    {
        var id = await _host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        await _host.AdvanceAsync(TimeSpan.FromDays(1));
        await _host.Client.RaiseEventAsync(id, "reply", "nee"); // event names are case-insensitive
        await _host.RunUntilIdleAsync();
        Assert.Equal("event:nee", (await _host.StatusAsync(id)).ReadOutputAs<string>());

        await _host.AdvanceAsync(TimeSpan.FromDays(10));
        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("event:nee", status.ReadOutputAs<string>());
    }

    [Fact]
    public async Task EventWithTimeout_NoEvent_TimesOutAtTheDeadline()
    {
        var id = await _host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        await _host.AdvanceAsync(TimeSpan.FromDays(5) - TimeSpan.FromMinutes(1));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await _host.StatusAsync(id)).RuntimeStatus);

        await _host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("timeout", (await _host.StatusAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task SubOrchestration_ReturnsItsResultToTheParent()
    {
        var id = await _host.Client.StartNewAsync(nameof(Parent), false);
        await _host.RunUntilIdleAsync();

        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("child:echo:kind", status.ReadOutputAs<string>());
        var children = await _host.Client.QueryInstancesAsync(new OrchestrationQuery { Name = nameof(Child) });
        var child = Assert.Single(children.Instances);
        Assert.Equal(id, child.ParentInstanceId);
    }

    [Fact]
    public async Task SubOrchestration_Failing_SurfacesAsTaskFailedInTheParent()
    {
        var id = await _host.Client.StartNewAsync(nameof(Parent), true);
        await _host.RunUntilIdleAsync();

        var output = (await _host.StatusAsync(id)).ReadOutputAs<string>();
        Assert.StartsWith("caught:", output, StringComparison.Ordinal);
        Assert.Contains("kapot", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_ActivityFailsTwice_SucceedsOnThirdAttemptWithBackoffAndOneIdempotencyKey()
    {
        var start = _host.Time.GetUtcNow();
        var id = await _host.Client.StartNewAsync(nameof(RetryingCaller), 3);
        await _host.AdvanceAsync(TimeSpan.FromMinutes(10));

        var status = await _host.StatusAsync(id);
        Assert.Equal("ok after 3", status.ReadOutputAs<string>());
        var calls = _log.Calls.Where(c => c.Name == nameof(Flaky)).ToList();
        Assert.Equal([1, 2, 3], calls.Select(c => c.Attempt));
        Assert.Single(calls.Select(c => c.IdempotencyKey).Distinct());

        // Backoff: 30 s, then 60 s (coefficient 2), visible as timers in history.
        var timers = (await _host.Client.GetHistoryAsync(id)).OfType<TimerCreated>().Select(t => t.FireAt - start.UtcDateTime).ToList();
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90)], timers);
    }

    [Fact]
    public async Task Retry_AttemptsExhausted_FailsTheOrchestrationWithTheActivityError()
    {
        var id = await _host.Client.StartNewAsync(nameof(RetryingCaller), 10);
        await _host.AdvanceAsync(TimeSpan.FromHours(1));

        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Contains("attempt 3 fails", status.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContinueAsNew_CarriesUnprocessedEvents_AndKeepsHistorySmall()
    {
        var id = await _host.Client.StartNewAsync(nameof(Counter), 0);
        await _host.RunUntilIdleAsync();
        for (var i = 0; i < 25; i++)
        {
            await _host.Client.RaiseEventAsync(id, "add", 1);
        }

        await _host.Client.RaiseEventAsync(id, "stop");
        await _host.RunUntilIdleAsync();

        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(25, status.ReadOutputAs<int>());
        Assert.True(_host.Store.ChunkCount(id) <= 3, $"history kept {_host.Store.ChunkCount(id)} chunks");
    }

    [Fact]
    public async Task CustomStatus_IsVisibleToClients_AndTooLargeFailsClearly()
    {
        var id = await _host.Client.StartNewAsync(nameof(BigStatus), 100);
        await _host.RunUntilIdleAsync();
        Assert.Equal(new StatusShape("wacht", 100), (await _host.StatusAsync(id)).ReadCustomStatusAs<StatusShape>());

        var big = await _host.Client.StartNewAsync(nameof(BigStatus), 20_000);
        await _host.RunUntilIdleAsync();
        var failed = await _host.StatusAsync(big);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains("at most 16384", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendEvent_ReachesTheOtherInstanceOnce()
    {
        var receiver = await _host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        var sender = await _host.Client.StartNewAsync(nameof(Sender), receiver);
        await _host.RunUntilIdleAsync();
        _host.Store.DuplicateAllMessages();
        await _host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await _host.StatusAsync(sender)).RuntimeStatus);
        Assert.Equal("event:van sender", (await _host.StatusAsync(receiver)).ReadOutputAs<string>());
        Assert.Single((await _host.Client.GetHistoryAsync(receiver)).OfType<EventRaised>());
    }

    [Fact]
    public async Task Terminate_EndsParentAndRunningChildren()
    {
        var id = await _host.Client.StartNewAsync(nameof(Parent), null);
        await _host.RunUntilIdleAsync();
        var child = Assert.Single((await _host.Client.QueryInstancesAsync(new OrchestrationQuery { Name = nameof(WaitsForever) })).Instances);
        Assert.Equal(OrchestrationRuntimeStatus.Running, child.RuntimeStatus);

        await _host.Client.TerminateAsync(id, "gestopt");
        await _host.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await _host.StatusAsync(id)).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await _host.StatusAsync(child.InstanceId)).RuntimeStatus);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _host.Client.RaiseEventAsync(id, "x"));
    }

    [Fact]
    public async Task SuspendResume_EventsWaitWhileSuspended()
    {
        var id = await _host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        await _host.RunUntilIdleAsync();
        await _host.Client.SuspendAsync(id, "pauze");
        await _host.RunUntilIdleAsync();
        await _host.Client.RaiseEventAsync(id, "Reply", "tijdens pauze");
        await _host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await _host.StatusAsync(id)).RuntimeStatus);

        await _host.Client.ResumeAsync(id);
        await _host.RunUntilIdleAsync();
        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("event:tijdens pauze", status.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_OnlyEndedInstances_RemovesEverything()
    {
        var running = await _host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        var done = await _host.Client.StartNewAsync(nameof(HelloSequence), "x");
        await _host.RunUntilIdleAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _host.Client.PurgeInstanceAsync(running));
        Assert.True(await _host.Client.PurgeInstanceAsync(done));
        Assert.Null(await _host.Client.GetInstanceAsync(done));
        Assert.Empty(await _host.Client.GetHistoryAsync(done));
        Assert.False(await _host.Client.PurgeInstanceAsync(done));
    }

    [Fact]
    public async Task Query_FiltersByStatusNameAndCreatedRange_AndPages()
    {
        for (var i = 0; i < 7; i++)
        {
            await _host.Client.StartNewAsync(nameof(HelloSequence), $"n{i}");
            _host.Time.Advance(TimeSpan.FromMinutes(1));
        }

        await _host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        await _host.RunUntilIdleAsync();

        var pages = new List<OrchestrationMetadata>();
        string? token = null;
        do
        {
            var page = await _host.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 3, ContinuationToken = token });
            Assert.True(page.Instances.Count <= 3);
            pages.AddRange(page.Instances);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(7, pages.Count);
        Assert.All(pages, p => Assert.Equal(nameof(HelloSequence), p.Name));
        var running = await _host.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running] });
        Assert.Equal(nameof(EventOrTimeout), Assert.Single(running.Instances).Name);
        var early = await _host.Client.QueryInstancesAsync(new OrchestrationQuery { CreatedTo = new DateTimeOffset(2026, 1, 5, 9, 1, 30, TimeSpan.Zero) });
        Assert.Equal(2, early.Instances.Count);
    }

    [Fact]
    public async Task ReplayOnlyValues_GuidAndTimeAndLogging_AreStableAcrossEpisodes()
    {
        var id = await _host.Client.StartNewAsync(nameof(Deterministic), null);
        await _host.RunUntilIdleAsync();
        var firstEpisode = (await _host.StatusAsync(id)).ReadCustomStatusAs<List<string>>()!;
        await _host.AdvanceAsync(TimeSpan.FromHours(2));

        // The final episode replayed the code before the timer: it made the same guid and saw the same time.
        var output = (await _host.StatusAsync(id)).ReadOutputAs<List<string>>()!;
        Assert.Equal(firstEpisode, output.Take(2));
        Assert.Equal("replaying-seen:True", output[2]);
        Assert.NotEqual(Guid.Empty.ToString(), output[0]);
    }

    [Fact]
    public async Task Orchestrator_AwaitingTaskDelay_FailsWithAClearMessage()
    {
        var id = await _host.Client.StartNewAsync(nameof(UsesTaskDelay), null);
        await _host.RunUntilIdleAsync();

        var status = await _host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Contains("not a durable task", status.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_IsReadableForATimeline()
    {
        var id = await _host.Client.StartNewAsync(nameof(HelloSequence), "x");
        await _host.RunUntilIdleAsync();

        var history = await _host.Client.GetHistoryAsync(id);
        Assert.IsType<OrchestratorStarted>(history[0]);
        Assert.IsType<ExecutionStarted>(history[1]);
        Assert.Equal(5, history.OfType<TaskScheduled>().Count());
        Assert.Equal(5, history.OfType<TaskCompleted>().Count());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, history.OfType<ExecutionCompleted>().Single().Status);
    }
}

public sealed record StatusShape(string Phase, int Size);

public sealed class LongTimer : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int days)
    {
        await context.CreateTimer(TimeSpan.FromDays(days), CancellationToken.None);
        return new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class EventOrTimeout : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int days)
    {
        try
        {
            return "event:" + await context.WaitForExternalEvent<string>("Reply", TimeSpan.FromDays(days));
        }
        catch (TimeoutException)
        {
            return "timeout";
        }
    }
}

public sealed class Parent : TaskOrchestrator<bool?, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, bool? fail)
    {
        if (fail is null)
        {
            return await context.CallSubOrchestratorAsync<string>(nameof(WaitsForever));
        }

        try
        {
            return await context.CallSubOrchestratorAsync<string>(fail.Value ? nameof(FailingChild) : nameof(Child), "kind");
        }
        catch (TaskFailedException ex)
        {
            return "caught:" + ex.Message;
        }
    }
}

public sealed class Child : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        "child:" + await context.CallActivityAsync<string>(nameof(Echo), input);
}

public sealed class FailingChild : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        throw new InvalidOperationException("kapot");
}

public sealed class WaitsForever : TaskOrchestrator<object?, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, object? input) =>
        context.WaitForExternalEvent<string>("never");
}

public sealed class RetryingCaller : TaskOrchestrator<int, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, int succeedAt) =>
        context.CallActivityAsync<string>(nameof(Flaky), succeedAt, new TaskOptions(new RetryPolicy(3, TimeSpan.FromSeconds(30), 2)));
}

/// <summary>Adds numbers from events; continues as new after each one, so history never grows.</summary>
public sealed class Counter : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int total)
    {
        using var cts = new CancellationTokenSource();
        var add = context.WaitForExternalEvent<int>("add", cts.Token);
        var stop = context.WaitForExternalEvent<object?>("stop", cts.Token);
        var winner = await Task.WhenAny(add, stop);
#pragma warning disable CA1849 // orchestrator code: CancelAsync would continue on the thread pool
        cts.Cancel();
#pragma warning restore CA1849
        if (winner == stop)
        {
            return total;
        }

        context.ContinueAsNew(total + await add);
        return total;
    }
}

public sealed class Deterministic : TaskOrchestrator<object?, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, object? input)
    {
        var guid = context.NewGuid().ToString();
        var time = context.CurrentUtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var sawReplay = context.IsReplaying;
        context.SetCustomStatus(new[] { guid, time });
        await context.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
        return [guid, time, $"replaying-seen:{sawReplay}"];
    }
}

public sealed class UsesTaskDelay : TaskOrchestrator<object?, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
    {
        await Task.Delay(TimeSpan.FromDays(1), CancellationToken.None);
        return "never";
    }
}

public sealed class BigStatus : TaskOrchestrator<int, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, int size)
    {
        context.SetCustomStatus(new StatusShape("wacht", size));
        if (size > 1000)
        {
            context.SetCustomStatus(new string('x', size));
        }

        return context.WaitForExternalEvent<string>("never");
    }
}

public sealed class Sender : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string target)
    {
        context.SendEvent(target, "Reply", "van sender");
        return Task.FromResult("sent");
    }
}
