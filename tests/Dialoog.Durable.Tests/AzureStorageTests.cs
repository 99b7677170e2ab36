using Azure.Storage.Queues;
using Dialoog.Durable.Storage;
using Dialoog.Durable.Tests.Support;
using Dialoog.Durable.Worker;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Durable.Tests;

/// <summary>The runtime on real Azure Storage semantics (Azurite): tables, queues, blobs, and the pull loop.</summary>
[Collection(DevStackCollection.Name)]
public sealed class AzureStorageTests(DevStackFixture stack)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ActivityLog _log = new();

    private AzuriteHost NewHost(string? hub = null) => new(
        stack,
        hub ?? stack.NewTaskHubName(),
        r => r.AddActivity<Echo>().AddActivity<Flaky>().AddActivity<BigEcho>()
            .AddOrchestrator<HelloSequence>().AddOrchestrator<EventOrTimeout>().AddOrchestrator<Parent>().AddOrchestrator<Child>()
            .AddOrchestrator<WaitsForever>().AddOrchestrator<Counter>().AddOrchestrator<BigPayload>().AddOrchestrator<FanOut>().AddOrchestrator<TimeoutInSeconds>()
            .AddActivity<Slow>().AddOrchestrator<SlowThenWait>(),
        s => s.AddSingleton(_log));

    [Fact]
    public async Task HelloSequence_OnAzurite_Completes()
    {
        await using var host = NewHost();
        await host.StartAsync();
        var id = await host.Client.StartNewAsync(nameof(HelloSequence), "Den Haag");

        var done = await host.Client.WaitForCompletionAsync(id, Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("echo:Den Haag", done.ReadOutputAs<List<string>>()![^1]);
        Assert.Equal(5, _log.CountFor(nameof(Echo)));
    }

    [Fact]
    public async Task EventAndTimer_OnAzurite_EventWinsAndTimeoutFires()
    {
        await using var host = NewHost();
        await host.StartAsync();
        var answered = await host.Client.StartNewAsync(nameof(EventOrTimeout), 1);
        await host.Client.RaiseEventAsync(answered, "Reply", "ja"); // right after start, before the first step
        var timedOut = await host.Client.StartNewAsync(nameof(TimeoutInSeconds), 2);

        Assert.Equal("event:ja", (await host.Client.WaitForCompletionAsync(answered, Timeout)).ReadOutputAs<string>());
        Assert.Equal("timeout", (await host.Client.WaitForCompletionAsync(timedOut, Timeout)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task SubOrchestrationAndFanOut_OnAzurite_Complete()
    {
        await using var host = NewHost();
        await host.StartAsync();
        var parent = await host.Client.StartNewAsync(nameof(Parent), false);
        var fan = await host.Client.StartNewAsync(nameof(FanOut), 100);

        Assert.Equal("child:echo:kind", (await host.Client.WaitForCompletionAsync(parent, Timeout)).ReadOutputAs<string>());
        Assert.Equal(100, (await host.Client.WaitForCompletionAsync(fan, Timeout)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task ContinueAsNew_OnAzurite_CarriesEvents()
    {
        await using var host = NewHost();
        await host.StartAsync();
        var id = await host.Client.StartNewAsync(nameof(Counter), 0);
        for (var i = 0; i < 5; i++)
        {
            await host.Client.RaiseEventAsync(id, "add", 2);
        }

        await host.Client.RaiseEventAsync(id, "stop");
        Assert.Equal(10, (await host.Client.WaitForCompletionAsync(id, Timeout)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task LargePayloads_GoToBlobs_AndRoundTrip()
    {
        await using var host = NewHost();
        await host.StartAsync();
        var big = new string('ä', 100_000);
        var id = await host.Client.StartNewAsync(nameof(BigPayload), big);

        var done = await host.Client.WaitForCompletionAsync(id, Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(big + "!", done.ReadOutputAs<string>());
        Assert.True(host.BlobRequests.Count > 0, "large payloads should have used blob storage");
        // Stored once each (input, output, two history chunks), not again on every write of the instance row.
        var container = new Azure.Storage.Blobs.BlobContainerClient(stack.StorageConnectionString, $"{host.TaskHub}-payloads");
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, id + "/", CancellationToken.None))
        {
            blobs.Add(blob.Name);
        }

        Assert.InRange(blobs.Count, 2, 4);

        Assert.True(await host.Client.PurgeInstanceAsync(id));
        Assert.Null(await host.Client.GetInstanceAsync(id));
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, id + "/", CancellationToken.None))
        {
            Assert.Fail($"purge left blob {blob.Name}");
        }
    }

    [Fact]
    public async Task QueueMessages_NeverExpire()
    {
        await using var host = NewHost();
        await host.Store.InitializeAsync(CancellationToken.None);
        await host.Store.SendAsync(WorkQueue.Timers, "{\"i\":\"x\"}", TimeSpan.FromDays(6), CancellationToken.None);

        var queue = new QueueClient(stack.StorageConnectionString, $"{host.TaskHub}-timers");
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        // Peek skips invisible messages, so send one visible to read its expiry.
        await host.Store.SendAsync(WorkQueue.Timers, "{\"i\":\"y\"}", TimeSpan.Zero, CancellationToken.None);
        var peeked = (await queue.PeekMessagesAsync(1)).Value.Single();
        Assert.Equal(9999, peeked.ExpiresOn!.Value.Year);
    }

    [Fact]
    public async Task TwoTaskHubs_OnOneAccount_NeverSeeEachOthersWork()
    {
        await using var a = NewHost();
        await using var b = NewHost();
        await a.StartAsync();
        await b.StartAsync();

        await a.Client.StartNewAsync(nameof(HelloSequence), "A", instanceId: "same-id");
        await b.Client.StartNewAsync(nameof(EventOrTimeout), 1, instanceId: "same-id");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await a.Client.WaitForCompletionAsync("same-id", Timeout)).RuntimeStatus);
        Assert.Equal(nameof(EventOrTimeout), (await b.Client.GetInstanceAsync("same-id"))!.Name);
        Assert.Equal(nameof(HelloSequence), (await a.Client.GetInstanceAsync("same-id"))!.Name);
    }

    [Fact]
    public async Task WorkerCrashMidWay_AnotherWorkerFinishes_AfterTheLeaseRunsOut()
    {
        var hub = stack.NewTaskHubName();
        string id;
        await using (var dying = NewHost(hub))
        {
            var steps = 0;
            dying.Worker.Faults = (p, _) =>
            {
                if (p == FaultPoint.AfterCommit && Interlocked.Increment(ref steps) >= 3)
                {
                    throw new InvalidOperationException("worker died");
                }
            };
            await dying.StartAsync();
            id = await dying.Client.StartNewAsync(nameof(HelloSequence), "Breda");
            await Eventually.HoldsAsync(() => Volatile.Read(ref steps) >= 3, "the worker reached its crash point");
        }

        await using var survivor = NewHost(hub);
        await survivor.StartAsync();
        var done = await survivor.Client.WaitForCompletionAsync(id, Timeout);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var history = await survivor.Client.GetHistoryAsync(id);
        Assert.Equal(5, history.OfType<TaskCompleted>().Count());
    }

    [Fact]
    public async Task GracefulShutdown_ActivityInProgress_IsFinishedAndCommittedBeforeTheWorkerStops()
    {
        var hub = stack.NewTaskHubName();
        string id;
        await using (var stopping = NewHost(hub))
        {
            await stopping.StartAsync();
            id = await stopping.Client.StartNewAsync(nameof(SlowThenWait));
            await Eventually.HoldsAsync(() => _log.CountFor(nameof(Slow)) == 1, "the slow activity started");
        } // StopAsync runs here, while the activity is still busy

        await using var next = NewHost(hub);
        var history = await next.Client.GetHistoryAsync(id);
        Assert.Single(history.OfType<TaskCompleted>());
        await next.StartAsync();
        await next.Client.RaiseEventAsync(id, "go");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await next.Client.WaitForCompletionAsync(id, Timeout)).RuntimeStatus);
        Assert.Equal(1, _log.CountFor(nameof(Slow))); // finished once, not run again by the next worker
    }

    [Fact]
    public async Task TwoWorkers_OneTaskHub_AllInstancesCompleteAndNoActivityResultIsCommittedTwice()
    {
        var hub = stack.NewTaskHubName();
        await using var first = NewHost(hub);
        await using var second = NewHost(hub);
        await first.StartAsync();
        await second.StartAsync();

        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add(await (i % 2 == 0 ? first : second).Client.StartNewAsync(nameof(HelloSequence), $"n{i}"));
        }

        foreach (var id in ids)
        {
            var done = await first.Client.WaitForCompletionAsync(id, Timeout);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var history = await first.Client.GetHistoryAsync(id);
            Assert.Equal(5, history.OfType<TaskCompleted>().Count());
        }

        Assert.True(first.Worker.Metrics.EpisodesCommitted > 0 && second.Worker.Metrics.EpisodesCommitted > 0, "both workers should have taken work");
    }
}

public sealed class TimeoutInSeconds : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int seconds)
    {
        try
        {
            return await context.WaitForExternalEvent<string>("Reply", TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            return "timeout";
        }
    }
}

public sealed class Slow(ActivityLog log) : TaskActivity<object?, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, object? input)
    {
        log.Calls.Enqueue(context);
        await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        return "done";
    }
}

public sealed class SlowThenWait : TaskOrchestrator<object?, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, object? input)
    {
        await context.CallActivityAsync<string>(nameof(Slow));
        return await context.WaitForExternalEvent<string>("go");
    }
}

public sealed class BigEcho : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input + "!");
}

public sealed class BigPayload : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<string>(nameof(BigEcho), input);
}

public sealed class FanOut : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int count)
    {
        var calls = Enumerable.Range(0, count).Select(i => context.CallActivityAsync<string>(nameof(Echo), $"f{i}")).ToList();
        var results = await Task.WhenAll(calls);
        return results.Distinct().Count();
    }
}
