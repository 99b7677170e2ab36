using Dialoog.Durable.Storage;
using Dialoog.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

using Dialoog.Testing;

namespace Dialoog.Durable.Tests.Support;

/// <summary>
/// The runtime on the in-memory store with a fake clock: the test decides when time passes, so a timer of months
/// fires as soon as the test jumps there, and everything in between runs to completion first.
/// </summary>
public sealed class DurableTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly FakeClockDriver _clock;

    public DurableTestHost(Action<DurableRegistry> register, Action<IServiceCollection>? services = null, Action<DurableOptions>? options = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        Store = new InMemoryDurableStore(Time);
        var collection = new ServiceCollection();
        collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        collection.AddDurableRuntime(register, _ => Store);
        collection.Configure<DurableOptions>(o =>
        {
            o.MessageVisibilityTimeout = TimeSpan.FromMinutes(1);
            options?.Invoke(o);
        });
        services?.Invoke(collection);
        _services = collection.BuildServiceProvider();
        Client = _services.GetRequiredService<DurableClient>();
        Worker = _services.GetRequiredService<DurableWorker>();
        Worker.EnsureDeterministicCode(); // what StartAsync does in a real host
        _clock = new FakeClockDriver(Worker, Store, Time);
    }

    public FakeTimeProvider Time { get; }

    public InMemoryDurableStore Store { get; }

    public DurableClient Client { get; }

    public DurableWorker Worker { get; }

    public IServiceProvider Services => _services;

    public Task RunUntilIdleAsync() => _clock.RunUntilIdleAsync();

    /// <summary>Moves the clock forward by <paramref name="span"/>, firing everything due on the way in order.</summary>
    public Task AdvanceAsync(TimeSpan span) => _clock.AdvanceAsync(span);

    public async Task<OrchestrationMetadata> StatusAsync(string instanceId) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"No instance {instanceId}");

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
