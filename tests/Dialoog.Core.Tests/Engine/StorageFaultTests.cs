using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Dialoog.Core.Storage;
using Dialoog.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static Dialoog.Core.Tests.Engine.EngineTestTasks;

namespace Dialoog.Core.Tests.Engine;

/// <summary>
/// Storage that fails now and then (every third request does not get through: refused, as when the account is
/// unreachable or a node restarts) delays work and never fails a process. The retired runtime turned a few minutes of
/// storage errors into Failed processes.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class StorageFaultTests(DevStackFixture stack)
{
    [Fact]
    public async Task StorageFailsEveryThirdRequest_ForAWhile_OrchestrationsStillComplete()
    {
        var throttle = new FailingPolicy();
        await using var engine = await EngineTestHost.StartAsync(
            stack, stack.NewTaskHubName(), Catalog(), services: s => s.AddSingleton(new StorageClientPolicies(throttle)));

        throttle.Enabled = true;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // The client's own requests are throttled too (the same policies): a start may need a retry of ours.
            ids.Add(await StartWithRetriesAsync(engine.Client, new GreetInput("naam" + i, 1)));
        }

        await Eventually.HoldsAsync(() => Task.FromResult(throttle.Refused >= 30), "a good number of storage requests failed", TimeSpan.FromSeconds(30));
        throttle.Enabled = false;

        foreach (var id in ids)
        {
            var done = await engine.CompleteAsync(id, TimeSpan.FromSeconds(90));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        }

        Assert.True(throttle.Refused >= 30, $"only {throttle.Refused} requests were refused");
    }

    private static async Task<string> StartWithRetriesAsync(DurableTaskClient client, GreetInput input)
    {
        var id = Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.ScheduleNewOrchestrationInstanceAsync(Greet, input, new Microsoft.DurableTask.StartOrchestrationOptions(id));
            }
            catch (Exception) when (attempt < 10)
            {
                if (await client.GetInstanceAsync(id) is not null)
                {
                    return id;
                }
            }
        }
    }

    /// <summary>While enabled, sends every third request to a closed port on this machine, so it fails to connect.</summary>
    private sealed class FailingPolicy : HttpPipelinePolicy
    {
        private long _seen;
        private long _refused;

        public volatile bool Enabled;

        public long Refused => Interlocked.Read(ref _refused);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Aim(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Aim(message);
            return ProcessNextAsync(message, pipeline);
        }

        /// <summary>Each attempt (this runs once per retry) goes to storage or, every third one, nowhere.</summary>
        private void Aim(HttpMessage message)
        {
            if (!message.TryGetProperty(typeof(FailingPolicy), out var port))
            {
                port = message.Request.Uri.Port;
                message.SetProperty(typeof(FailingPolicy), port);
            }

            message.Request.Uri.Port = (int)port!;
            if (Enabled && Interlocked.Increment(ref _seen) % 3 == 0)
            {
                Interlocked.Increment(ref _refused);
                message.Request.Uri.Port = ClosedPort;
            }
        }
    }

    /// <summary>A loopback port that nothing listens on (bound, released, and left closed).</summary>
    private static readonly int ClosedPort = FindClosedPort();

    private static int FindClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
