using Microsoft.DurableTask.Client;

namespace Dialoog.Core.Tests.Testing;

/// <summary>Client calls the tests make often, on the Durable Task client.</summary>
internal static class EngineClientExtensions
{
    /// <summary>Waits until the instance has ended; a clear timeout instead of a hanging test.</summary>
    public static async Task<OrchestrationMetadata> WaitForCompletionAsync(
        this DurableTaskClient client, string instanceId, TimeSpan timeout, bool getInputsAndOutputs = true)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            var now = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false);
            throw new TimeoutException($"Instance '{instanceId}' did not end within {timeout}; it is {now?.RuntimeStatus.ToString() ?? "missing"}.");
        }
    }

    /// <summary>Every instance of the task hub (tests have few).</summary>
    public static async Task<List<OrchestrationMetadata>> AllInstancesAsync(this DurableTaskClient client, bool fetchInputsAndOutputs = false)
    {
        var all = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100, FetchInputsAndOutputs = fetchInputsAndOutputs }))
        {
            all.Add(instance);
        }

        return all;
    }

    /// <summary>The history of the instance's current generation; empty when the instance does not exist (any more).</summary>
    public static async Task<IList<DurableTask.Core.History.HistoryEvent>> HistoryAsync(this DurableTaskClient client, string instanceId)
    {
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false) is null)
        {
            return [];
        }

        return await client.GetOrchestrationHistoryAsync(instanceId);
    }
}
