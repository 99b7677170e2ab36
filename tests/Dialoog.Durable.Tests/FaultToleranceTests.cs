using Dialoog.Durable.Storage;
using Dialoog.Durable.Tests.Support;
using Dialoog.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Durable.Tests;

/// <summary>Crashes at every step, duplicate messages, poison messages and changed code: nothing lost, nothing repeated in effect.</summary>
public sealed class FaultToleranceTests
{
    private readonly ActivityLog _log = new();

    private DurableTestHost NewHost(InMemoryDurableStore? shared = null, Action<DurableRegistry>? register = null) => new(
        register ?? (r => r.AddActivity<Echo>().AddActivity<Flaky>()
            .AddOrchestrator<HelloSequence>()
            .AddOrchestrator<Parent>().AddOrchestrator<Child>().AddOrchestrator<FailingChild>().AddOrchestrator<WaitsForever>()
            .AddOrchestrator<Sender>().AddOrchestrator<EventOrTimeout>()),
        s => s.AddSingleton(_log));

    public static TheoryData<FaultPoint> AllFaultPoints() => [.. Enum.GetValues<FaultPoint>()];

    [Theory]
    [MemberData(nameof(AllFaultPoints))]
    public async Task CrashOnceAtEachStep_EveryInstanceCompletes_AndEachCommittedResultIsUsedOnce(FaultPoint point)
    {
        await using var host = NewHost();
        var crashes = 0;
        host.Worker.Faults = (p, _) =>
        {
            // Crash the second time this point is reached, so some work is committed before.
            if (p == point && Interlocked.Increment(ref crashes) == 2)
            {
                throw new InvalidOperationException($"simulated crash at {p}");
            }
        };

        var sequence = await host.Client.StartNewAsync(nameof(HelloSequence), "Zwolle");
        var parent = await host.Client.StartNewAsync(nameof(Parent), false);
        await host.AdvanceAsync(TimeSpan.FromMinutes(10)); // past the visibility timeout, so held messages reappear

        var status = await host.StatusAsync(sequence);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(["echo:Tokyo", "echo:Seattle", "echo:London", "echo:Amsterdam", "echo:Zwolle"], status.ReadOutputAs<List<string>>());
        Assert.Equal("child:echo:kind", (await host.StatusAsync(parent)).ReadOutputAs<string>());

        // Whatever ran twice, history holds each result exactly once.
        var history = await host.Client.GetHistoryAsync(sequence);
        Assert.Equal(5, history.OfType<TaskCompleted>().Select(c => c.TaskScheduledId).Distinct().Count());
        Assert.Equal(5, history.OfType<TaskCompleted>().Count());
        Assert.True(crashes >= 2, $"the fault at {point} was never reached");
        // An activity re-run after a crash uses the same idempotency key as the first run.
        var keys = _log.Calls.Where(c => c.InstanceId == sequence).GroupBy(c => c.TaskId).Select(g => g.Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.All(keys, k => Assert.Equal(1, k));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task ContinueAsNew_CrashAroundTheGenerationSwitch_LosesNoEventAndRepeatsNothing(int crashAtCommit)
    {
        await using var host = NewHost(register: r => r.AddOrchestrator<Counter>());
        var commits = 0;
        host.Worker.Faults = (p, _) =>
        {
            if (p is FaultPoint.AfterCommit && Interlocked.Increment(ref commits) == crashAtCommit)
            {
                throw new InvalidOperationException("crash between generations");
            }
        };

        var id = await host.Client.StartNewAsync(nameof(Counter), 0);
        for (var i = 0; i < 4; i++)
        {
            await host.Client.RaiseEventAsync(id, "add", 10);
        }

        await host.Client.RaiseEventAsync(id, "stop");
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));

        var status = await host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(40, status.ReadOutputAs<int>());
    }

    [Fact]
    public async Task TimerOfAPurgedInstance_IsDroppedWhenItSurfaces()
    {
        await using var host = NewHost();
        var id = await host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        await host.RunUntilIdleAsync();
        await host.Client.TerminateAsync(id);
        await host.RunUntilIdleAsync();
        Assert.True(await host.Client.PurgeInstanceAsync(id));

        await host.AdvanceAsync(TimeSpan.FromDays(6));

        Assert.Equal(0, await host.Store.CountAsync(WorkQueue.Timers, CancellationToken.None));
        Assert.Equal(0, await host.Store.CountAsync(WorkQueue.Work, CancellationToken.None));
        Assert.Null(host.Store.NextVisibleAt());
    }

    [Fact]
    public async Task DuplicateMessagesEverywhere_NoStateTransitionIsRepeated()
    {
        await using var host = NewHost();
        var receiver = await host.Client.StartNewAsync(nameof(EventOrTimeout), 5);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await host.Client.StartNewAsync(nameof(HelloSequence), $"c{i}"));
            host.Store.DuplicateAllMessages();
        }

        await host.Client.StartNewAsync(nameof(Sender), receiver);
        host.Store.DuplicateAllMessages();
        await host.RunUntilIdleAsync();
        host.Store.DuplicateAllMessages();
        await host.RunUntilIdleAsync();

        foreach (var id in ids)
        {
            var history = await host.Client.GetHistoryAsync(id);
            Assert.Equal(5, history.OfType<TaskCompleted>().Count());
            Assert.Single(history.OfType<ExecutionCompleted>());
        }

        Assert.Equal(25, _log.CountFor(nameof(Echo)));
        Assert.Single((await host.Client.GetHistoryAsync(receiver)).OfType<EventRaised>());
    }

    [Fact]
    public async Task PoisonMessage_IsQuarantinedAfterMaxAttempts_AndTheInstanceShowsTheError()
    {
        await using var host = NewHost();
        host.Worker.Faults = (p, _) =>
        {
            if (p == FaultPoint.BeforeCommit)
            {
                throw new InvalidDataException("storage says no");
            }
        };

        var id = await host.Client.StartNewAsync(nameof(HelloSequence), "x");
        await host.RunUntilIdleAsync();
        var retrying = await host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, retrying.RuntimeStatus);
        Assert.Contains("storage says no", retrying.FailureDetails!.ErrorMessage, StringComparison.Ordinal);

        await host.AdvanceAsync(TimeSpan.FromMinutes(30));

        var failed = await host.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal("PoisonMessage", failed.FailureDetails!.ErrorType);
        Assert.Contains("storage says no", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, await host.Store.CountAsync(WorkQueue.Poison, CancellationToken.None));
        Assert.Equal(0, await host.Store.CountAsync(WorkQueue.Work, CancellationToken.None));
    }

    [Fact]
    public async Task PoisonedSubOrchestration_FailsItsParentsCall_InsteadOfLeavingItWaiting()
    {
        await using var host = NewHost();
        host.Worker.Faults = (p, instanceId) =>
        {
            if (p == FaultPoint.BeforeCommit && instanceId.Contains(':', StringComparison.Ordinal))
            {
                throw new InvalidDataException("child storage says no");
            }
        };

        var parent = await host.Client.StartNewAsync(nameof(Parent), false);
        await host.AdvanceAsync(TimeSpan.FromMinutes(30));

        var status = await host.StatusAsync(parent);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Contains("PoisonMessage", status.ReadOutputAs<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParentCrashesBeforeCommittingTheCall_ChildDoesNotExistYet_SoNoResultCanArriveBeforeItsHistory()
    {
        await using var host = NewHost();
        var crashed = 0;
        host.Worker.Faults = (p, instanceId) =>
        {
            if (p == FaultPoint.BeforeCommit && !instanceId.Contains(':', StringComparison.Ordinal) && Interlocked.Exchange(ref crashed, 1) == 0)
            {
                throw new InvalidOperationException("crash before the step that calls the child is committed");
            }
        };

        var parent = await host.Client.StartNewAsync(nameof(Parent), false);
        await host.RunUntilIdleAsync();
        Assert.Equal(1, crashed);
        Assert.Empty((await host.Client.QueryInstancesAsync(new OrchestrationQuery { Name = nameof(Child) })).Instances);

        await host.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.Equal("child:echo:kind", (await host.StatusAsync(parent)).ReadOutputAs<string>());
        Assert.Single((await host.Client.QueryInstancesAsync(new OrchestrationQuery { Name = nameof(Child) })).Instances);
        Assert.Equal(1, _log.CountFor(nameof(Echo)));
    }

    [Fact]
    public async Task UnreadableMessage_IsQuarantinedAtOnce()
    {
        await using var host = NewHost();
        await host.Store.SendAsync(WorkQueue.Work, "not json", TimeSpan.Zero, CancellationToken.None);
        await host.RunUntilIdleAsync();

        Assert.Equal(1, await host.Store.CountAsync(WorkQueue.Poison, CancellationToken.None));
        Assert.Equal(0, await host.Store.CountAsync(WorkQueue.Work, CancellationToken.None));
    }

    [Fact]
    public async Task ChangedCodeUnderARunningInstance_FailsItWithAMessageNamingTheMismatch()
    {
        var store = new InMemoryDurableStore(TimeProvider.System);
        string id;
        await using (var before = new DurableTestHost(r => r.AddActivity<Echo>().AddOrchestrator<ApprovalV1>("Approval"), s => s.AddSingleton(_log)))
        {
            id = await before.Client.StartNewAsync("Approval", "x");
            await before.RunUntilIdleAsync();
            await CopyAsync(before.Store, id, store);
        }

        // Same name and version, but the code now calls another activity first.
        await using var after = new DurableTestHost(r => r.AddActivity<Echo>().AddActivity<Flaky>().AddOrchestrator<ApprovalV1Changed>("Approval"), s => s.AddSingleton(_log));
        await CopyAsync(store, id, after.Store);
        var historyBefore = await after.Client.GetHistoryAsync(id);
        await after.Client.RaiseEventAsync(id, "Decision", "ja");
        await after.RunUntilIdleAsync();

        var status = await after.StatusAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, status.FailureDetails!.ErrorType);
        Assert.Contains("activity 'Echo'", status.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("activity 'Flaky'", status.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        // The recorded history is kept as it was; only the failure is added.
        var historyAfter = await after.Client.GetHistoryAsync(id);
        Assert.Equal(historyBefore.Select(e => e.GetType()), historyAfter.Take(historyBefore.Count).Select(e => e.GetType()));
    }

    [Fact]
    public async Task NewVersionRegistered_RunningInstanceKeepsItsVersion_NewInstancesGetTheNewest()
    {
        var store = new InMemoryDurableStore(TimeProvider.System);
        string old;
        await using (var v1 = new DurableTestHost(r => r.AddActivity<Echo>().AddOrchestrator<ApprovalV1>("Approval", "1"), s => s.AddSingleton(_log)))
        {
            old = await v1.Client.StartNewAsync("Approval", "x");
            await v1.RunUntilIdleAsync();
            await CopyAsync(v1.Store, old, store);
        }

        await using var both = new DurableTestHost(
            r => r.AddActivity<Echo>().AddActivity<Flaky>().AddOrchestrator<ApprovalV1>("Approval", "1").AddOrchestrator<ApprovalV1Changed>("Approval", "2"),
            s => s.AddSingleton(_log));
        await CopyAsync(store, old, both.Store);
        var fresh = await both.Client.StartNewAsync("Approval", "y");
        await both.RunUntilIdleAsync();
        await both.Client.RaiseEventAsync(old, "Decision", "ja");
        await both.Client.RaiseEventAsync(fresh, "Decision", "ja");
        await both.RunUntilIdleAsync();

        var oldStatus = await both.StatusAsync(old);
        var freshStatus = await both.StatusAsync(fresh);
        Assert.Equal(("1", "v1:ja"), (oldStatus.Version, oldStatus.ReadOutputAs<string>()));
        Assert.Equal(("2", "v2:ja"), (freshStatus.Version, freshStatus.ReadOutputAs<string>()));
    }

    private static async Task CopyAsync(InMemoryDurableStore from, string id, InMemoryDurableStore to)
    {
        var state = (await from.LoadAsync(id, CancellationToken.None))!;
        await to.CreateInstanceAsync(state.Record with { HistorySeq = 0 }, CancellationToken.None);
        foreach (var chunk in state.Chunks)
        {
            var current = (await to.GetInstanceAsync(id, CancellationToken.None))!.Value;
            await to.CommitAsync(current.Record with { HistorySeq = chunk.Seq }, current.ETag, chunk, [], CancellationToken.None);
        }
    }
}

public sealed class ApprovalV1 : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        await context.CallActivityAsync<string>(nameof(Echo), input);
        return "v1:" + await context.WaitForExternalEvent<string>("Decision");
    }
}

public sealed class ApprovalV1Changed : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        await context.CallActivityAsync<string>(nameof(Flaky), 1);
        return "v2:" + await context.WaitForExternalEvent<string>("Decision");
    }
}

/// <summary>Push mode: the Azure Functions host dequeues, our handler processes one message, the host deletes it.</summary>
public sealed class PushModeTests
{
    [Fact]
    public async Task PushedMessages_LikeTheFunctionsHostDeliversThem_RunAnOrchestrationToTheEnd()
    {
        var log = new ActivityLog();
        await using var host = new DurableTestHost(
            r => r.AddActivity<Echo>().AddOrchestrator<HelloSequence>().AddOrchestrator<LongTimer>(),
            s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(s, log),
            o => o.EnablePullLoop = false);
        var sequence = await host.Client.StartNewAsync(nameof(HelloSequence), "Assen");
        var timer = await host.Client.StartNewAsync(nameof(LongTimer), 9);

        async Task DeliverVisibleAsync()
        {
            while (true)
            {
                var items = (await host.Store.ReceiveAsync(Storage.WorkQueue.Work, 32, TimeSpan.FromMinutes(5), CancellationToken.None))
                    .Concat(await host.Store.ReceiveAsync(Storage.WorkQueue.Timers, 32, TimeSpan.FromMinutes(5), CancellationToken.None)).ToList();
                if (items.Count == 0)
                {
                    return;
                }

                foreach (var item in items)
                {
                    await host.Worker.ProcessPushedMessageAsync(item.Queue, item.Body, item.DequeueCount, CancellationToken.None);
                    await host.Store.DeleteAsync(item, CancellationToken.None);
                }
            }
        }

        await DeliverVisibleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.StatusAsync(sequence)).RuntimeStatus);
        Assert.Equal(5, log.CountFor(nameof(Echo)));

        // A 9-day timer is re-armed through the 7-day queue limit by pushed messages as well.
        while (host.Store.NextVisibleAt() is { } next)
        {
            host.Time.SetUtcNow(next);
            await DeliverVisibleAsync();
        }

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.StatusAsync(timer)).RuntimeStatus);
    }
}
