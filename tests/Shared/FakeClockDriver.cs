using Dialoog.Durable.Storage;
using Dialoog.Durable.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Dialoog.Testing;

/// <summary>
/// Runs the durable worker on the in-memory store with a fake clock: the test decides when time passes, so a timer of
/// months fires as soon as the test jumps there, and everything due in between runs, in order, first.
/// </summary>
public sealed class FakeClockDriver(DurableWorker worker, InMemoryDurableStore store, FakeTimeProvider time)
{
    public async Task RunUntilIdleAsync()
    {
        try
        {
            await worker.RunUntilIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("The worker did not become idle: " + worker.DescribeActiveSessions());
        }
    }

    /// <summary>Moves the clock forward by <paramref name="span"/>, firing everything due on the way in order.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        var end = time.GetUtcNow() + span;
        await RunUntilIdleAsync();
        while (store.NextVisibleAt() is { } next && next <= end)
        {
            time.SetUtcNow(next);
            await RunUntilIdleAsync();
        }

        time.SetUtcNow(end);
        await RunUntilIdleAsync();
    }
}
