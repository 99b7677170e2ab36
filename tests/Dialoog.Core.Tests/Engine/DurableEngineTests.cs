using Dialoog.Core.Engine;
using Dialoog.Testing;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Dialoog.Core.Tests.Engine.EngineTestTasks;

namespace Dialoog.Core.Tests.Engine;

/// <summary>
/// The Durable Task engine (DurableTask.Core + Azure Storage provider) on Azurite, driven through DurableTaskCoreClient
/// and LocalEngineHost as the app registers them. Each test has its own task hub.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class DurableEngineTests(DevStackFixture stack)
{
    [Fact]
    public async Task StartWithInput_ActivitiesRunInOrder_OutputCustomStatusAndDefaultVersionReadBack()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var input = new GreetInput("anna", 2);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, input);
        var done = await engine.CompleteAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Greet, done.Name);
        Assert.Equal(input, done.ReadInputAs<GreetInput>());
        Assert.Equal(new GreetResult("ANNA!ANNA!", 4, "1"), done.ReadOutputAs<GreetResult>());
        Assert.Equal(new Progress("greeted", 100), done.ReadCustomStatusAs<Progress>());
        Assert.True(done.CreatedAt <= done.LastUpdatedAt);
        Assert.Equal("1", await engine.Client.GetInstanceVersionAsync(id));
    }

    [Fact]
    public async Task Payloads_AreStoredAsTheFunctionsIsolatedWorkerWritesThem_PascalCaseAndReadCaseInsensitively()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var input = new GreetInput("Zoë", 1);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, input);
        var done = await engine.CompleteAsync(id);

        // System.Text.Json defaults (no naming policy, non-ASCII escaped), as the Functions worker's JsonObjectSerializer.
        Assert.Equal("""{"Name":"Zo\u00EB","Times":1}""", done.SerializedInput);
        Assert.Equal("""{"Greeting":"ZO\u00CB!","Letters":3,"Version":"1"}""", done.SerializedOutput);
        Assert.Equal("""{"Phase":"greeted","Percent":100}""", done.SerializedCustomStatus);
        Assert.Equal(new Approval("piet", true), DialoogDataConverter.Instance.Deserialize<Approval>("""{"approvedBy":"piet","APPROVED":true}"""));
        Assert.Null(DialoogDataConverter.Instance.Serialize(null));
        Assert.Same(DialoogDataConverter.Instance, engine.Services.GetRequiredService<DataConverter>());
    }

    [Fact]
    public async Task ExplicitVersion_WinsOverTheClientDefault_AndIsWhatTheOrchestratorSees()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, new GreetInput("bo", 1), new StartOrchestrationOptions { Version = "7" });
        var done = await engine.CompleteAsync(id);

        Assert.Equal("7", await engine.Client.GetInstanceVersionAsync(id));
        Assert.Equal("7", done.ReadOutputAs<GreetResult>()!.Version);
        Assert.Equal("1", engine.Services.GetRequiredService<DurableTaskCoreClient>().DefaultVersion);
    }

    [Fact]
    public async Task StartAtInTheFuture_StaysPendingUntilThen_ThenRuns()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var startAt = DateTimeOffset.UtcNow.AddSeconds(4);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, new GreetInput("cas", 1), new StartOrchestrationOptions { StartAt = startAt });
        var pending = await engine.Client.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, pending!.RuntimeStatus);

        var started = await engine.Client.WaitForInstanceStartAsync(id);
        var now = DateTimeOffset.UtcNow;
        // Azure Storage queues delay messages in whole seconds (the SDK truncates), so a start may come up to 1 s early.
        Assert.True(now >= startAt.AddSeconds(-1.2), $"it started {started.RuntimeStatus} at {now:O}, before its start time {startAt:O}; last update {started.LastUpdatedAt:O}");
        Assert.NotEqual(OrchestrationRuntimeStatus.Pending, started.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await engine.CompleteAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task RaiseEvent_ReachesTheWaitingOrchestrator_WhoseCustomStatusShowedTheWait()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(AwaitApproval, "jan");

        var waiting = await WaitForCustomStatusAsync(engine, id, new Progress("waiting for jan", 50));
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);

        await engine.Client.RaiseEventAsync(id, ApprovalEvent, new Approval("jan", true));
        var done = await engine.CompleteAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new Approval("jan", true), done.ReadOutputAs<Approval>());
        Assert.Equal(new Progress("approved", 100), done.ReadCustomStatusAs<Progress>());
    }

    [Fact]
    public async Task StartWithAnIdThatIsStillRunning_IsRefused_AndTheRunningInstanceIsUntouched()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(AwaitApproval, "kim", new StartOrchestrationOptions { InstanceId = "dup-1" });
        await engine.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() =>
            engine.Client.ScheduleNewOrchestrationInstanceAsync(AwaitApproval, "other", new StartOrchestrationOptions { InstanceId = "dup-1" }));

        var still = await engine.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal("kim", still!.ReadInputAs<string>());
    }

    [Fact]
    public async Task Query_PagesOfTwoOverFiveInstances_FollowContinuationTokensToTheEnd()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, new GreetInput("p" + i, 1), new StartOrchestrationOptions { InstanceId = "page-" + i }));
        }

        await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, new GreetInput("x", 1), new StartOrchestrationOptions { InstanceId = "other-1" });

        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (var page in engine.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "page-", PageSize = 2 }).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Values.Count));
        Assert.All(pages.Take(2), p => Assert.False(string.IsNullOrEmpty(p.ContinuationToken)));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.SelectMany(p => p.Values).Select(m => m.InstanceId).Order(StringComparer.Ordinal));

        // A page asked for by its token alone (as an API would, one request per page) continues where the first stopped.
        var first = pages[0];
        var second = await engine.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "page-", PageSize = 2 })
            .AsPages(first.ContinuationToken).FirstAsync();
        Assert.Equal(pages[1].Values.Select(m => m.InstanceId), second.Values.Select(m => m.InstanceId));
    }

    [Fact]
    public async Task Terminate_EndsAWaitingInstance_WithTheGivenOutput()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(AwaitApproval, "lea");
        await engine.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);

        await engine.Client.TerminateInstanceAsync(id, new TerminateInstanceOptions("cancelled by coordinator"));
        var done = await engine.CompleteAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("cancelled by coordinator", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Suspend_HoldsAnEventUntilResume_ThenTheInstanceCompletes()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(AwaitApproval, "mo");
        await engine.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);

        await engine.Client.SuspendInstanceAsync(id, "holiday");
        await engine.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Suspended);
        await engine.Client.RaiseEventAsync(id, ApprovalEvent, new Approval("mo", true));
        // The event is taken in but not acted on while suspended; a few polls' worth of time shows it stays put.
        using (var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(1.5)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.Client.WaitForInstanceCompletionAsync(id, cancellation: shortWait.Token));
        }

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await engine.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await engine.Client.ResumeInstanceAsync(id, "back");
        var done = await engine.CompleteAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new Approval("mo", true), done.ReadOutputAs<Approval>());
    }

    [Fact]
    public async Task Purge_RemovesOneEndedInstance_RefusesARunningOne_AndPurgesByStatusFilter()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var completed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            completed.Add(await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, new GreetInput("q" + i, 1)));
        }

        var running = await engine.Client.ScheduleNewOrchestrationInstanceAsync(AwaitApproval, "rik");
        foreach (var id in completed)
        {
            await engine.CompleteAsync(id);
        }

        await engine.WaitForStatusAsync(running, OrchestrationRuntimeStatus.Running);

        Assert.Equal(1, (await engine.Client.PurgeInstanceAsync(completed[0])).PurgedInstanceCount);
        Assert.Null(await engine.Client.GetInstanceAsync(completed[0]));
        Assert.Equal(0, (await engine.Client.PurgeInstanceAsync(completed[0])).PurgedInstanceCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Client.PurgeInstanceAsync(running));

        var purged = await engine.Client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(CreatedFrom: DateTimeOffset.UtcNow.AddHours(-1), Statuses: [OrchestrationRuntimeStatus.Completed]));

        Assert.Equal(2, purged.PurgedInstanceCount);
        Assert.Null(await engine.Client.GetInstanceAsync(completed[1]));
        Assert.Null(await engine.Client.GetInstanceAsync(completed[2]));
        Assert.NotNull(await engine.Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task WaitForCompletion_OfAnInstanceThatWaits_EndsWithCancellationAtTheTimeout()
    {
        await using var engine = await EngineTestHost.StartAsync(stack, stack.NewTaskHubName(), Catalog());
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(AwaitApproval, "sam");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.Client.WaitForInstanceCompletionAsync(id, cancellation: timeout.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.Client.WaitForInstanceCompletionAsync("no-such-instance"));
    }

    [Fact]
    public async Task NewVersionDeployed_AnInstanceStartedOnV1FinishesOnV1Code_WhileNewInstancesRunV2()
    {
        var hub = stack.NewTaskHubName();
        string oldId;
        await using (var v1 = await EngineTestHost.StartAsync(stack, hub, Catalog("1")))
        {
            oldId = await v1.Client.ScheduleNewOrchestrationInstanceAsync(Steps, "old:");
            await v1.WaitForStatusAsync(oldId, OrchestrationRuntimeStatus.Running);
        }

        await using var v2 = await EngineTestHost.StartAsync(stack, hub, Catalog("2"));
        await v2.Client.RaiseEventAsync(oldId, GoEvent, "go");
        var newId = await v2.Client.ScheduleNewOrchestrationInstanceAsync(Steps, "new:");

        var old = await v2.CompleteAsync(oldId);
        var fresh = await v2.CompleteAsync(newId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, old.RuntimeStatus);
        Assert.Equal("old:A.B.", old.ReadOutputAs<string>()); // v1: A before B
        Assert.Equal("new:B.A.", fresh.ReadOutputAs<string>()); // v2: B before A
        Assert.Equal("1", await v2.Client.GetInstanceVersionAsync(oldId));
        Assert.Equal("2", await v2.Client.GetInstanceVersionAsync(newId));
    }

    [Fact]
    public async Task DurableTimer_SurvivesAWorkerRestart_AndFiresOnTheNewWorker()
    {
        var hub = stack.NewTaskHubName();
        string id;
        await using (var first = await EngineTestHost.StartAsync(stack, hub, Catalog()))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync(Nap, 3);
            await first.WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
            await first.StopAsync();
            Assert.Equal(OrchestrationRuntimeStatus.Running, (await first.Client.GetInstanceAsync(id))!.RuntimeStatus); // stopped before it fired
        }

        await using var second = await EngineTestHost.StartAsync(stack, hub, Catalog());
        var done = await second.CompleteAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        // Azure Storage queues delay messages in whole seconds (the SDK truncates), so a timer may fire up to 1 s early.
        Assert.InRange(done.ReadOutputAs<double>(), 2.0, 15.0);
    }

    [Fact]
    public async Task WorkerDisabled_IsAClientOfAHubItDoesNotCreate_AndRunsNothing()
    {
        var hub = stack.NewTaskHubName();
        var clientOnly = new Dictionary<string, string?> { ["Durable:EnableWorker"] = "false" };
        await using (await EngineTestHost.StartAsync(stack, hub, Catalog(), clientOnly))
        {
            // In Azure the Functions app creates the hub; the web app's identity may not create containers.
            var tables = new Azure.Data.Tables.TableServiceClient(stack.StorageConnectionString);
            Assert.Empty(tables.Query(t => t.Name == hub + "Instances").ToList());
        }

        await (await EngineTestHost.StartAsync(stack, hub, Catalog())).DisposeAsync(); // a worker's host makes the hub
        await using var engine = await EngineTestHost.StartAsync(stack, hub, Catalog(), clientOnly);

        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(Greet, new GreetInput("tom", 1));

        using var shortWait = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.Client.WaitForInstanceStartAsync(id, cancellation: shortWait.Token));
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await engine.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.False(engine.Services.GetRequiredService<LocalEngineHost>().IsRunning);
    }

    [Theory]
    [InlineData("Durable:TaskHub", "1abc", "Setting 'Durable__TaskHub' must be 3 to 45 letters or digits and start with a letter.")]
    [InlineData("Durable:TaskHub", "ab", "Setting 'Durable__TaskHub' must be 3 to 45 letters or digits and start with a letter.")]
    [InlineData("Durable:TaskHub", "has-dash", "Setting 'Durable__TaskHub' must be 3 to 45 letters or digits and start with a letter.")]
    [InlineData("Durable:PartitionCount", "17", "Setting 'Durable__PartitionCount' must be a whole number from 1 to 16.")]
    [InlineData("Durable:MaxConcurrentActivities", "0", "Setting 'Durable__MaxConcurrentActivities' must be a whole number from 1 to 1000.")]
    [InlineData("Durable:MaxQueuePollingInterval", "00:05:00", "Setting 'Durable__MaxQueuePollingInterval' must be a duration from 00:00:00.010 to 00:01:00.")]
    [InlineData("Durable:WorkerId", "a b", "Setting 'Durable__WorkerId' must be empty or 1 to 100 letters, digits, dots, dashes or underscores.")]
    public void BadEngineSetting_IsRefusedWithAMessageNamingTheSetting(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddDurableEngine(Catalog());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EngineOptions>>().Value);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultEngineSettings_AreValid_AndMatchTheDocumentedDefaults()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging();
        services.AddDurableEngine(Catalog());
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<EngineOptions>>().Value;

        Assert.Equal(("dialoog", 4, TimeSpan.FromSeconds(1), false, true), (options.TaskHub, options.PartitionCount, options.MaxQueuePollingInterval, options.ExtendedSessions, options.EnableWorker));
    }

    private static async Task<OrchestrationMetadata> WaitForCustomStatusAsync(EngineTestHost engine, string id, Progress expected)
    {
        OrchestrationMetadata? last = null;
        await Eventually.HoldsAsync(
            async () => (last = await engine.Client.GetInstanceAsync(id, getInputsAndOutputs: true))?.SerializedCustomStatus is not null
                && last.ReadCustomStatusAs<Progress>() == expected,
            $"custom status of {id} is {expected}");
        return last!;
    }
}
