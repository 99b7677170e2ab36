using Dialoog.Core.Engine;
using Microsoft.DurableTask;

namespace Dialoog.Core.Tests.Engine;

/// <summary>Small orchestrators and activities that exercise the engine; names are the catalog names.</summary>
internal static class EngineTestTasks
{
    public const string Greet = "Greet";
    public const string AwaitApproval = "AwaitApproval";
    public const string Nap = "Nap";
    public const string Steps = "Steps";
    public const string ApprovalEvent = "Approval";
    public const string GoEvent = "Go";

    /// <summary>Every test orchestrator and activity, with <paramref name="currentVersion"/> as the version of new instances.</summary>
    public static TaskCatalog Catalog(string currentVersion = "1") =>
        new TaskCatalog(currentVersion)
            .AddOrchestrator(Greet, _ => new GreetOrchestrator())
            .AddOrchestrator(AwaitApproval, _ => new AwaitApprovalOrchestrator())
            .AddOrchestrator(Nap, _ => new NapOrchestrator())
            .AddOrchestrator(Steps, _ => new VersionedOrchestrator(new Dictionary<string, ITaskOrchestrator>
            {
                ["1"] = new StepsV1(),
                ["2"] = new StepsV2(),
            }))
            .AddActivity<Shout>(nameof(Shout))
            .AddActivity<Count>(nameof(Count))
            .AddActivity<Step>(nameof(Step));

    public sealed record GreetInput(string Name, int Times);

    public sealed record GreetResult(string Greeting, int Letters, string Version);

    public sealed record Approval(string ApprovedBy, bool Approved);

    public sealed record Progress(string Phase, int Percent);

    /// <summary>Two activities in sequence, a custom status, and the instance's version in the output.</summary>
    public sealed class GreetOrchestrator : TaskOrchestrator<GreetInput, GreetResult>
    {
        public override async Task<GreetResult> RunAsync(TaskOrchestrationContext context, GreetInput input)
        {
            var shouted = await context.CallActivityAsync<string>(nameof(Shout), input.Name);
            var letters = await context.CallActivityAsync<int>(nameof(Count), shouted);
            context.SetCustomStatus(new Progress("greeted", 100));
            return new GreetResult(string.Concat(Enumerable.Repeat(shouted, input.Times)), letters, context.Version);
        }
    }

    /// <summary>Waits for an approval event, showing that it waits in its custom status.</summary>
    public sealed class AwaitApprovalOrchestrator : TaskOrchestrator<string, Approval>
    {
        public override async Task<Approval> RunAsync(TaskOrchestrationContext context, string input)
        {
            context.SetCustomStatus(new Progress("waiting for " + input, 50));
            var approval = await context.WaitForExternalEvent<Approval>(ApprovalEvent);
            context.SetCustomStatus(new Progress("approved", 100));
            return approval;
        }
    }

    /// <summary>A durable timer of the given number of seconds.</summary>
    /// <remarks>Returns the seconds slept, by orchestration time.</remarks>
    public sealed class NapOrchestrator : TaskOrchestrator<int, double>
    {
        public override async Task<double> RunAsync(TaskOrchestrationContext context, int input)
        {
            var started = context.CurrentUtcDateTime;
            await context.CreateTimer(started.AddSeconds(input), CancellationToken.None);
            return (context.CurrentUtcDateTime - started).TotalSeconds;
        }
    }

    /// <summary>Version 1: waits for "Go", then step A before step B.</summary>
    public sealed class StepsV1 : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            await context.WaitForExternalEvent<string>(GoEvent);
            var a = await context.CallActivityAsync<string>(nameof(Step), input + "A");
            return await context.CallActivityAsync<string>(nameof(Step), a + "B");
        }
    }

    /// <summary>Version 2: the steps in the other order, and no wait.</summary>
    public sealed class StepsV2 : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var b = await context.CallActivityAsync<string>(nameof(Step), input + "B");
            return await context.CallActivityAsync<string>(nameof(Step), b + "A");
        }
    }

    public sealed class Shout : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input.ToUpperInvariant() + "!");
    }

    public sealed class Count : TaskActivity<string, int>
    {
        public override Task<int> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input.Count(char.IsLetter));
    }

    public sealed class Step : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input + ".");
    }
}
