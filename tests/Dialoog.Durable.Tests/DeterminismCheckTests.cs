using Dialoog.Durable.Execution;
using Dialoog.Durable.Tests.Support;

namespace Dialoog.Durable.Tests;

public sealed class DeterminismCheckTests
{
    [Fact]
    public void CodeCheck_NonDeterministicOrchestrator_NamesEveryForbiddenCallAndTheAlternative()
    {
        var violations = OrchestratorCodeCheck.FindViolations(typeof(Sloppy));

        Assert.Contains(violations, v => v.Contains("System.DateTime.get_UtcNow", StringComparison.Ordinal) && v.Contains("context.CurrentUtcDateTime", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("System.Guid.NewGuid", StringComparison.Ordinal) && v.Contains("context.NewGuid()", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("System.Threading.Tasks.Task.Delay", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("System.Threading.Thread.Sleep", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("System.IO.File.Exists", StringComparison.Ordinal));
        // Found inside a helper method the orchestrator calls, not only in RunAsync itself.
        Assert.Contains(violations, v => v.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.All(violations, v => Assert.StartsWith("Sloppy:", v, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(typeof(HelloSequence))]
    [InlineData(typeof(Counter))]
    [InlineData(typeof(EventOrTimeout))]
    [InlineData(typeof(Deterministic))]
    public void CodeCheck_DeterministicOrchestrators_HaveNoViolations(Type orchestrator)
    {
        Assert.Empty(OrchestratorCodeCheck.FindViolations(orchestrator));
    }

    [Fact]
    public void Worker_WithNonDeterministicOrchestrator_RefusesToStartWithAClearMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DurableTestHost(r => r.AddOrchestrator<Sloppy>()));
        Assert.Contains("must be deterministic", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sloppy", error.Message, StringComparison.Ordinal);
    }
}

public sealed class Sloppy : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var now = DateTime.UtcNow;
        var id = Guid.NewGuid();
        await Task.Delay(10);
        Thread.Sleep(1);
        var exists = File.Exists(input);
        return $"{now}{id}{exists}{await FetchAsync()}";
    }

    private static async Task<string> FetchAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri("http://127.0.0.1:1/"));
    }
}
