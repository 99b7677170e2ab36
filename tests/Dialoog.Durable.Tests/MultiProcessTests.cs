extern alias bench;

using System.Diagnostics;
using Azure.Data.Tables;
using bench::Dialoog.Benchmarks;
using Dialoog.Testing;

namespace Dialoog.Durable.Tests;

/// <summary>Two real worker processes on one task hub, and one of them killed on the way.</summary>
[Collection(DevStackCollection.Name)]
public sealed class MultiProcessTests(DevStackFixture stack)
{
    [Fact]
    public async Task TwoWorkerProcesses_500Orchestrations_AllCompleteAndNoStepRunsTwice()
    {
        var hub = stack.NewTaskHubName();
        await using var client = new BenchmarkHost(stack.StorageConnectionString, hub, runWorker: false);
        await client.StartAsync();
        using var first = await StartWorkerAsync(hub);
        using var second = await StartWorkerAsync(hub);

        var ids = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => client.Client.StartNewAsync(nameof(HelloSequence5), $"n{i}")));
        foreach (var id in ids)
        {
            var done = await client.Client.WaitForCompletionAsync(id, TimeSpan.FromMinutes(3), getInputsAndOutputs: false);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        }

        await StopAsync(first);
        await StopAsync(second);
        var trace = new TableClient(stack.StorageConnectionString, $"{hub}Trace");
        var rows = new List<TableEntity>();
        await foreach (var row in trace.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        // Every step ran exactly once (an insert-only trace row per step; a second run is logged as a duplicate)...
        Assert.DoesNotContain(rows, r => r.PartitionKey == "duplicates");
        Assert.Equal(2500, rows.Count);
        // ...and both processes did work.
        Assert.Equal(2, rows.Select(r => r.GetInt32("Worker")).Distinct().Count());
    }

    [Fact]
    public async Task WorkerProcessKilledMidRun_TheOtherFinishesEverything_WithEveryResultCommittedOnce()
    {
        var hub = stack.NewTaskHubName();
        await using var client = new BenchmarkHost(stack.StorageConnectionString, hub, runWorker: false);
        await client.StartAsync();
        using var victim = await StartWorkerAsync(hub, shortLeases: true);
        using var survivor = await StartWorkerAsync(hub, shortLeases: true);

        var ids = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.Client.StartNewAsync(nameof(HelloSequence5), $"k{i}")));
        await Eventually.HoldsAsync(
            async () => (await client.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed] })).Instances.Count >= 10,
            "some instances completed before the kill");
        victim.Kill(entireProcessTree: true); // kill -9: no graceful shutdown, leases and messages left behind

        foreach (var id in ids)
        {
            var done = await client.Client.WaitForCompletionAsync(id, TimeSpan.FromMinutes(2), getInputsAndOutputs: false);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            var history = await client.Client.GetHistoryAsync(id);
            Assert.Equal(5, history.OfType<TaskCompleted>().Count());
        }

        await StopAsync(survivor);
    }

    private async Task<Process> StartWorkerAsync(string hub, bool shortLeases = false)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(BenchmarkHost).Assembly.Location, "worker", "--hub", hub, "--connection", stack.StorageConnectionString, "--trace" })
        {
            start.ArgumentList.Add(argument);
        }

        if (shortLeases)
        {
            start.Environment["DIALOOG_BENCH_LEASE_SECONDS"] = "3";
        }

        var process = Process.Start(start)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("ready", ready);
        return process;
    }

    private static async Task StopAsync(Process process)
    {
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
