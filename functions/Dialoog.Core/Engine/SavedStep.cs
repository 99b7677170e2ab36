using Microsoft.DurableTask;

namespace Dialoog.Core.Engine;

/// <summary>
/// Starts activities only for decisions the engine has saved. DurableTask.AzureStorage sends a step's messages before
/// it writes the step's history, so that no message is lost. When a worker dies between the two, the step runs again,
/// perhaps with more events in its batch (a reply that came in meanwhile), and may decide differently, while the
/// activities of the first attempt still run: a reminder to someone who had just replied. A zero-length timer closes
/// the step instead: the engine delivers its TimerFired only once its TimerCreated is in the saved history, and what
/// runs after it acts on saved decisions only. One extra step per wave of activities is the price.
/// </summary>
public sealed class SavedStep(TaskOrchestrationContext context)
{
    private Task? _pending;
    private DateTime _createdAt;

    /// <summary>Completes once everything decided so far is saved.</summary>
    public Task WaitAsync()
    {
        // Every step ends with a save, so one timer per step covers all the decisions it made: sends that run in
        // parallel share it.
        if (_pending is { IsCompleted: false } && _createdAt == context.CurrentUtcDateTime)
        {
            return _pending;
        }

        _createdAt = context.CurrentUtcDateTime;
        return _pending = context.CreateTimer(_createdAt, CancellationToken.None);
    }

    public async Task CallActivityAsync(TaskName name, object? input, TaskOptions? options = null)
    {
        await WaitAsync();
        await context.CallActivityAsync(name, input, options);
    }

    public async Task<T> CallActivityAsync<T>(TaskName name, object? input, TaskOptions? options = null)
    {
        await WaitAsync();
        return await context.CallActivityAsync<T>(name, input, options);
    }
}
