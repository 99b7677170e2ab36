using Dialoog.Testing.VirtualTime;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using static Dialoog.Core.Tests.VirtualTime.VirtualTimeSamples;

namespace Dialoog.Core.Tests.VirtualTime;

public sealed class VirtualTimeClientTests
{
    private static readonly DateTimeOffset Start = VirtualTimeEngine.DefaultStart;

    private readonly VirtualTimeEngine _engine;

    public VirtualTimeClientTests()
    {
        _engine = new VirtualTimeEngine(Catalog());
        Client = _engine.CreateClient();
    }

    private VirtualTimeClient Client { get; }

    [Fact]
    public async Task AutoRun_RunsTheEngineAfterEachCall()
    {
        var client = _engine.CreateClient(autoRun: true);

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 20);

        Assert.Equal(41, (await client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadOutputAs<int>());
    }

    [Fact]
    public async Task StartAt_WaitsForTheClock_AndTheFirstEpisodeSeesThatTime()
    {
        var startAt = Start.AddDays(2);
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(NowAtStart), new StartOrchestrationOptions(StartAt: startAt));
        await _engine.AdvanceAsync(TimeSpan.FromDays(1));

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Client.WaitForInstanceStartAsync(id));

        await _engine.AdvanceAsync(TimeSpan.FromDays(1));

        var instance = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        Assert.Equal(startAt.UtcDateTime, instance.ReadOutputAs<DateTime>());
    }

    [Fact]
    public async Task Start_WithTheIdOfARunningInstance_IsRefused_AndOfAnEndedOneStartsAgain()
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(WithStatus), new StartOrchestrationOptions("dup"));
        await _engine.RunUntilIdleAsync();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Client.ScheduleNewOrchestrationInstanceAsync(nameof(WithStatus), new StartOrchestrationOptions("dup")));
        Assert.Contains("already exists", refused.Message, StringComparison.Ordinal);

        await Client.RaiseEventAsync("dup", "go", "first");
        await _engine.RunUntilIdleAsync();
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 1, new StartOrchestrationOptions("dup"));
        await _engine.RunUntilIdleAsync();

        Assert.Equal(3, (await Client.GetInstanceAsync("dup", getInputsAndOutputs: true))!.ReadOutputAs<int>());
    }

    [Fact]
    public async Task WaitForCompletion_OfAWaitingInstance_ThrowsInsteadOfHanging()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Reminder));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Client.WaitForInstanceCompletionAsync(id));

        Assert.Contains("Running", e.Message, StringComparison.Ordinal);
        Assert.Contains(Start.AddDays(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminate_EndsTheInstanceWithTheGivenOutput_AndPurgeDeletesIt()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Reminder));
        await _engine.RunUntilIdleAsync();

        await Client.TerminateInstanceAsync(id, "stopped");
        await _engine.AdvanceAsync(TimeSpan.FromDays(40));

        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, instance!.RuntimeStatus);
        Assert.Equal("stopped", instance.ReadOutputAs<string>());
        Assert.Equal(1, (await Client.PurgeInstanceAsync(id)).PurgedInstanceCount);
        Assert.Null(await Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task Query_PagesThroughTheMatchingInstancesInIdOrder()
    {
        for (var i = 0; i < 25; i++)
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), i, new StartOrchestrationOptions($"q-{i:D2}"));
        }

        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(Reminder), new StartOrchestrationOptions("other"));
        await _engine.RunUntilIdleAsync();

        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (var page in Client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: "q-", PageSize: 10)).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal([10, 10, 5], pages.Select(p => p.Values.Count));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"q-{i:D2}"), pages.SelectMany(p => p.Values).Select(m => m.InstanceId));

        var running = new List<string>();
        await foreach (var metadata in Client.GetAllInstancesAsync(new OrchestrationQuery(Statuses: [OrchestrationRuntimeStatus.Running])))
        {
            running.Add(metadata.InstanceId);
        }

        Assert.Equal(["other"], running);
        var purged = await Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(Statuses: [OrchestrationRuntimeStatus.Completed]));
        Assert.Equal(25, purged.PurgedInstanceCount);
        Assert.Equal(["other"], _engine.InstanceIds);
    }
}
