using System.Collections.Concurrent;
using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask;

namespace Dialoog.Benchmarks;

/// <summary>The standard Durable Functions benchmark: five activities in sequence.</summary>
public sealed class HelloSequence5 : TaskOrchestrator<string, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, string input)
    {
        var total = 0;
        foreach (var city in new[] { "Tokyo", "Seattle", "London", "Amsterdam", input })
        {
            total += await context.CallActivityAsync<int>(nameof(SayHello), city);
        }

        return total;
    }
}

public sealed class FanOutFanIn : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>(nameof(SayHello), $"n{i}")));
        return results.Sum();
    }
}

/// <summary>Waits for "ping" events; after each one calls an activity, whose start is the measured reaction.</summary>
public sealed class Pinger : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            var sent = await context.WaitForExternalEvent<long>("ping");
            await context.CallActivityAsync<int>(nameof(Pong), sent);
        }

        return rounds;
    }
}

public sealed class SayHello(Trace trace) : TaskActivity<string, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, string input)
    {
        await trace.RecordAsync(context, input);
        return input.Length;
    }
}

/// <summary>Records when the reaction to a ping started (a timestamp from <see cref="Stopwatch"/> in this process).</summary>
public sealed class Pong(LatencyLog log) : TaskActivity<long, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, long sentTimestamp)
    {
        log.Samples.Enqueue(Stopwatch.GetElapsedTime(sentTimestamp));
        return Task.FromResult(0);
    }
}

public sealed class LatencyLog
{
    public ConcurrentQueue<TimeSpan> Samples { get; } = new();
}

/// <summary>
/// Optional proof that no step ran twice: each activity execution inserts a row keyed by its instance and input (the
/// five calls of one orchestration have five different inputs); a second execution of the same step finds the row and
/// is counted as a duplicate. The engine runs activities at least once, so after a crash a duplicate is allowed; in a
/// run without crashes there should be none.
/// </summary>
public sealed class Trace(TableClient? table)
{
    private long _duplicates;

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public async Task RecordAsync(TaskActivityContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (table is null)
        {
            return;
        }

        try
        {
            await table.AddEntityAsync(new TableEntity(context.InstanceId, input)
            {
                ["Worker"] = Environment.ProcessId,
            });
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            Interlocked.Increment(ref _duplicates);
            await table.UpsertEntityAsync(new TableEntity("duplicates", $"{context.InstanceId}-{input}-{Guid.NewGuid():N}"));
        }
    }
}
