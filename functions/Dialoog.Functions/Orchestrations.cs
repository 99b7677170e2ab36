using Dialoog.Core.Actions;
using Dialoog.Core.Engine;
using Dialoog.Core.Processes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Dialoog.Functions;

/// <summary>
/// One function per orchestrator of the domain's <see cref="TaskCatalog"/>, under the same name. Each one only hands
/// the context to the shared class (the same code the local engine runs), which picks the code for the instance's
/// version.
/// </summary>
public static class Orchestrations
{
    [Function(nameof(DialogueProcessOrchestrator))]
    public static async Task<ProcessOutcome?> DialogueProcess([OrchestrationTrigger] TaskOrchestrationContext context) =>
        (ProcessOutcome?)await RunAsync(context, nameof(DialogueProcessOrchestrator), context?.GetInput<DialogueProcessInput>());

    [Function(nameof(FollowUpOrchestrator))]
    public static async Task<string?> FollowUp([OrchestrationTrigger] TaskOrchestrationContext context) =>
        (string?)await RunAsync(context, nameof(FollowUpOrchestrator), context?.GetInput<FollowUpInput>());

    private static Task<object?> RunAsync(TaskOrchestrationContext? context, string name, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The catalog's orchestrators need no services: they are made from code alone.
        return FunctionsServices.Catalog.Orchestrators[name](EmptyServices.Instance).RunAsync(context, input);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
