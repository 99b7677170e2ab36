using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Dialoog.Core.Engine;

/// <summary>The few client calls the app makes that the Durable Task client does not have in one piece.</summary>
public static class DurableTaskClientExtensions
{
    /// <summary>
    /// Starts <paramref name="name"/> as <paramref name="instanceId"/> unless that instance exists already, whatever
    /// its state: a retried request or a repeated activity never starts a process twice, nor restarts an ended one.
    /// </summary>
    public static async Task<string> StartOnceAsync(
        this DurableTaskClient client, string name, object input, string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return instanceId;
        }

        try
        {
            return await client.ScheduleNewOrchestrationInstanceAsync(
                name, input, new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Another request may have started it between the look-up and the start: the same outcome as ours.
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not null)
            {
                return instanceId;
            }

            throw;
        }
    }

    /// <summary>
    /// One page of instances whose id starts with <paramref name="prefix"/>, and the token for the next. With inputs
    /// and outputs by default: the Durable Task client reads custom status (the process's status) only then.
    /// </summary>
    public static async Task<(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken)> QueryPageAsync(
        this DurableTaskClient client,
        string prefix,
        string? continuationToken,
        bool fetchInputsAndOutputs = true,
        IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses = null,
        int pageSize = 100,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = prefix,
            PageSize = pageSize,
            ContinuationToken = continuationToken,
            FetchInputsAndOutputs = fetchInputsAndOutputs,
            Statuses = statuses,
        };
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(continuationToken, pageSize).WithCancellation(cancellationToken))
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>True while the instance can still take events (the old client called this IsRunning).</summary>
    public static bool IsActive(this OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;
    }

    public static bool IsTerminal(this OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
