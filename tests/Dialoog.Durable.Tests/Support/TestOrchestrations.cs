using System.Collections.Concurrent;

namespace Dialoog.Durable.Tests.Support;

/// <summary>Records every activity execution, so tests can count side effects per idempotency key.</summary>
public sealed class ActivityLog
{
    public ConcurrentQueue<TaskActivityContext> Calls { get; } = new();

    public int CountFor(string name) => Calls.Count(c => c.Name == name);
}

public sealed class Echo(ActivityLog log) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input)
    {
        log.Calls.Enqueue(context);
        return Task.FromResult($"echo:{input}");
    }
}

public sealed class Flaky(ActivityLog log) : TaskActivity<int, string>
{
    /// <summary>Fails until attempt <c>input</c>.</summary>
    public override Task<string> RunAsync(TaskActivityContext context, int input)
    {
        log.Calls.Enqueue(context);
        var attempts = log.CountFor(nameof(Flaky));
        return attempts < input ? throw new InvalidOperationException($"attempt {attempts} fails") : Task.FromResult($"ok after {attempts}");
    }
}

public sealed class HelloSequence : TaskOrchestrator<string, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, string input)
    {
        var results = new List<string>();
        foreach (var city in new[] { "Tokyo", "Seattle", "London", "Amsterdam", input })
        {
            results.Add(await context.CallActivityAsync<string>(nameof(Echo), city));
        }

        return results;
    }
}
