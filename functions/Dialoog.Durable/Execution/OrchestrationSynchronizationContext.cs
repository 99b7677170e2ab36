namespace Dialoog.Durable.Execution;

/// <summary>
/// Runs every continuation of orchestrator code on the executor's own thread, one at a time, in a fixed order,
/// which is what makes a replay reproduce the same steps. A continuation posted from another thread means the code
/// awaited something that is not a durable task; that is recorded and fails the step with a clear message.
/// </summary>
internal sealed class OrchestrationSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();
    private readonly Lock _lock = new();
    private readonly Thread _owner = Thread.CurrentThread;

    public bool ForeignContinuationSeen { get; private set; }

    public bool IsOwnerThread => Thread.CurrentThread == _owner;

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            if (!IsOwnerThread)
            {
                // Completed by a timer or I/O thread: not a durable task. Never run it, so it cannot race.
                ForeignContinuationSeen = true;
                return;
            }

            _work.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => Post(d, state);

    public override SynchronizationContext CreateCopy() => this;

    public void RunUntilIdle()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) item;
            lock (_lock)
            {
                if (!_work.TryDequeue(out item))
                {
                    return;
                }
            }

            item.Callback(item.State);
        }
    }
}
