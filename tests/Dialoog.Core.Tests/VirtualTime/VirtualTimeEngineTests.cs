using Dialoog.Testing.VirtualTime;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using static Dialoog.Core.Tests.VirtualTime.VirtualTimeSamples;

namespace Dialoog.Core.Tests.VirtualTime;

public sealed class VirtualTimeEngineTests
{
    private static readonly DateTimeOffset Start = VirtualTimeEngine.DefaultStart;

    private readonly VirtualTimeEngine _engine;

    public VirtualTimeEngineTests()
    {
        _engine = new VirtualTimeEngine(Catalog());
        Client = _engine.CreateClient();
    }

    private VirtualTimeClient Client { get; }

    [Fact]
    public async Task ActivityChain_ReturnsTheLastActivitysOutput()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 5);
        await _engine.RunUntilIdleAsync();

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(5, instance.ReadInputAs<int>());
        Assert.Equal(11, instance.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Timer_OfThirtyDays_FiresOnlyWhenTheClockGetsThere_AndTheOrchestratorSeesTheFakeTime()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Reminder));
        await _engine.RunUntilIdleAsync();
        await _engine.AdvanceAsync(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

        await _engine.AdvanceAsync(TimeSpan.FromSeconds(1));

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
        var result = instance.ReadOutputAs<TimerResult>()!;
        Assert.Equal(Start.UtcDateTime, result.StartedAt);
        Assert.Equal(Start.UtcDateTime.AddDays(30), result.FiredAt);
        Assert.Equal(Start.AddDays(30), instance.LastUpdatedAt);
    }

    [Fact]
    public async Task WhenAny_EventBeforeTheTimer_WinsAndTheCancelledTimerChangesNothingLater()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(AnswerOrTimeout));
        await _engine.AdvanceAsync(TimeSpan.FromDays(2));

        await Client.RaiseEventAsync(id, "answer", "yes");
        await _engine.RunUntilIdleAsync();
        await _engine.AdvanceAsync(TimeSpan.FromDays(30));

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
        Assert.Equal("answer:yes", instance.ReadOutputAs<string>());
        Assert.Equal(Start.AddDays(2), instance.LastUpdatedAt);
    }

    [Fact]
    public async Task WhenAny_NoEvent_TimesOutAfterTheWeek()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(AnswerOrTimeout));
        await _engine.AdvanceAsync(TimeSpan.FromDays(8));

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal("timeout", instance!.ReadOutputAs<string>());
        Assert.Equal(Start.AddDays(7), instance.LastUpdatedAt);
    }

    [Fact]
    public async Task Events_RaisedBeforeTheOrchestratorWaits_AreKeptAndTakenInTheirTurn()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(TwoEvents));
        await Client.RaiseEventAsync(id, "second", 2);
        await Client.RaiseEventAsync(id, "first", 1);
        await _engine.RunUntilIdleAsync();

        var instance = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.Equal(12, instance.ReadOutputAs<int>());
    }

    [Fact]
    public async Task ContinueAsNew_AThousandGenerations_KeepsTheHistorySmallAndCarriesTheEvent()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Counter), 0);
        await _engine.RunUntilIdleAsync();
        await Client.RaiseEventAsync(id, "note", 7);

        await _engine.AdvanceAsync(TimeSpan.FromDays(Counter.Generations / 2));
        Assert.Equal(Counter.Generations / 2, _engine.GetInstance(id)!.Generation);
        Assert.InRange(_engine.HistoryCount(id), 1, 20);

        await _engine.AdvanceAsync(TimeSpan.FromDays(Counter.Generations / 2));

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
        Assert.Equal(Counter.Generations + 7, instance.ReadOutputAs<int>());
        Assert.Equal(Counter.Generations, instance.ReadInputAs<int>());
        Assert.Equal(Counter.Generations, _engine.GetInstance(id)!.Generation);
        Assert.InRange(_engine.HistoryCount(id), 1, 20);
    }

    [Fact]
    public async Task FailingActivity_IsATaskFailedExceptionInTheOrchestrator()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(CatchesFailure));
        await _engine.RunUntilIdleAsync();

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal($"{nameof(Explode)}|{typeof(InvalidOperationException).FullName}|boom 7", instance!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task FailingActivity_NotCaught_FailsTheInstanceWithDetails()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(LetsFailureThrough));
        await _engine.RunUntilIdleAsync();

        var instance = await Client.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance!.RuntimeStatus);
        Assert.NotNull(instance.FailureDetails);
        Assert.Contains("boom 8", instance.FailureDetails.ToString(), StringComparison.Ordinal);
        Assert.True(instance.FailureDetails.IsCausedBy<TaskFailedException>(), instance.FailureDetails.ErrorType);
    }

    [Fact]
    public async Task CustomStatus_IsVisibleWhileRunningAndAfter()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(WithStatus));
        await _engine.RunUntilIdleAsync();
        Assert.Equal(new Progress("waiting", 1), (await Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadCustomStatusAs<Progress>());

        await Client.RaiseEventAsync(id, "go", "went");
        await _engine.RunUntilIdleAsync();

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(new Progress("done", 2), instance!.ReadCustomStatusAs<Progress>());
        Assert.Equal("went", instance.ReadOutputAs<string>());
    }

    [Fact]
    public async Task CodeChangedUnderARunningInstance_FailsItWithTheEnginesNonDeterminismError()
    {
        try
        {
            Fickle.Changed = false;
            var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Fickle));
            await _engine.RunUntilIdleAsync();
            Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

            Fickle.Changed = true;
            await Client.RaiseEventAsync(id, "go");
            await _engine.RunUntilIdleAsync();

            var instance = await Client.GetInstanceAsync(id);
            Assert.Equal(OrchestrationRuntimeStatus.Failed, instance!.RuntimeStatus);
            Assert.Equal("DurableTask.Core.Exceptions.NonDeterministicOrchestrationException", instance.FailureDetails!.ErrorType);
            Assert.Contains(nameof(Doubler), instance.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        }
        finally
        {
            Fickle.Changed = false;
        }
    }

    [Fact]
    public async Task Version_IsRecorded_AndAV1InstanceFinishesOnV1AfterV2BecameCurrent()
    {
        var v1 = await Client.ScheduleNewOrchestrationInstanceAsync(Greeter);
        await _engine.RunUntilIdleAsync();

        // A new build whose current version is 2, over the same instances and clock.
        var engine2 = _engine.Redeploy(Catalog("2"));
        var client2 = engine2.CreateClient();
        var v2 = await client2.ScheduleNewOrchestrationInstanceAsync(Greeter);
        var explicitV1 = await client2.ScheduleNewOrchestrationInstanceAsync(Greeter, new StartOrchestrationOptions { Version = "1" });
        await engine2.RunUntilIdleAsync();
        foreach (var (id, name) in new[] { (v1, "Ann"), (v2, "Bob"), (explicitV1, "Cas") })
        {
            await client2.RaiseEventAsync(id, "name", name);
        }

        await engine2.RunUntilIdleAsync();

        Assert.Equal("1", engine2.GetInstance(v1)!.Version);
        Assert.Equal("2", engine2.GetInstance(v2)!.Version);
        Assert.Equal("v1 (1) hello Ann", (await client2.GetInstanceAsync(v1, getInputsAndOutputs: true))!.ReadOutputAs<string>());
        Assert.Equal("v2 (2) hi Bob", (await client2.GetInstanceAsync(v2, getInputsAndOutputs: true))!.ReadOutputAs<string>());
        Assert.Equal("v1 (1) hello Cas", (await client2.GetInstanceAsync(explicitV1, getInputsAndOutputs: true))!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task SubOrchestrations_ReturnTheirResult_AndTheirFailureToTheParent()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Parent), 3, new StartOrchestrationOptions("p1"));
        await _engine.RunUntilIdleAsync();

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
        Assert.StartsWith("7|", instance.ReadOutputAs<string>(), StringComparison.Ordinal);
        Assert.Contains("boom", instance.ReadOutputAs<string>(), StringComparison.Ordinal);
        var child = _engine.GetInstance("p1-child")!;
        Assert.Equal("p1", child.ParentInstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child.Status);
        Assert.Equal("1", child.Version);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, _engine.GetInstance("p1-failing")!.Status);
    }

    [Fact]
    public async Task Suspend_StopsProgressUntilResume()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(DelayedDouble), 21);
        await _engine.RunUntilIdleAsync();
        await Client.SuspendInstanceAsync(id, "pause");
        await _engine.AdvanceAsync(TimeSpan.FromDays(3));

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

        await Client.ResumeInstanceAsync(id, "go on");
        await _engine.RunUntilIdleAsync();

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
        Assert.Equal(42, instance.ReadOutputAs<int>());
        Assert.Equal(Start.AddDays(3), instance.LastUpdatedAt);
    }

    [Fact]
    public async Task History_IsTheEnginesOwnEvents()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 1);
        await _engine.RunUntilIdleAsync();

        var history = await Client.GetOrchestrationHistoryAsync(id);
        Assert.IsType<OrchestratorStartedEvent>(history[0]);
        Assert.IsType<ExecutionStartedEvent>(history[1]);
        Assert.Equal(2, history.OfType<TaskScheduledEvent>().Count());
        Assert.Equal(2, history.OfType<TaskCompletedEvent>().Count());
        Assert.IsType<ExecutionCompletedEvent>(history[^2]);
        Assert.All(history, e => Assert.Equal(Start.UtcDateTime, e.Timestamp));
    }

    [Fact]
    public async Task ContinueAsNew_EventArrivingWithTheWakeUp_IsCarriedOverToTheNextGeneration()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(RestartsOnce), 0);
        await _engine.RunUntilIdleAsync();

        // The timer and the event in one batch: the event comes after ContinueAsNew, so the executor carries it over.
        _engine.Time.SetUtcNow(Start.AddDays(1));
        await Client.RaiseEventAsync(id, "note", 5);
        await _engine.RunUntilIdleAsync();

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
        Assert.Equal(5, instance.ReadOutputAs<int>());
        Assert.Single(_engine.GetHistory(id).OfType<EventRaisedEvent>());
        Assert.Equal(1, _engine.GetInstance(id)!.Generation);
    }

    [Fact]
    public async Task ContinueAsNew_WithoutEverWaiting_IsStoppedByTheStepLimit()
    {
        _engine.MaxSteps = 500;
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Restless), 0);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _engine.RunUntilIdleAsync());

        Assert.Contains("500 steps", e.Message, StringComparison.Ordinal);
        Assert.Contains(id, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activity_ThatNeverEnds_TimesOutNamingIt()
    {
        _engine.IdleTimeout = TimeSpan.FromMilliseconds(200);
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(CallsHang));

        var e = await Assert.ThrowsAsync<TimeoutException>(() => _engine.RunUntilIdleAsync());

        Assert.Contains($"Activity '{nameof(Hang)}' of instance '{id}'", e.Message, StringComparison.Ordinal);
    }
}
