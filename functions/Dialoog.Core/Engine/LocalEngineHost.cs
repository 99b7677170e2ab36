using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Engine;

/// <summary>
/// Runs the catalog's orchestrators and activities in this process: a DurableTask.Core <see cref="TaskHubWorker"/> over
/// the Azure Storage service, with Microsoft.DurableTask's shims turning <see cref="ITaskOrchestrator"/> and
/// <see cref="ITaskActivity"/> into DurableTask.Core's types. Creates the task hub (tables, queues, containers) first,
/// also when the worker is off, so a client-only app finds its hub.
/// </summary>
public sealed partial class LocalEngineHost : IHostedService, IAsyncDisposable
{
    /// <summary>How long a graceful stop waits for work in progress before the worker is stopped by force.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a forced stop may take before the worker is left to the process's exit.</summary>
    public static readonly TimeSpan ForcedStopTimeout = TimeSpan.FromSeconds(5);

    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskCatalog _catalog;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILoggerFactory _loggerFactory;
    private readonly EngineOptions _options;
    private readonly ILogger<LocalEngineHost> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private TaskHubWorker? _worker;
    private Task? _background;
    private int _disposed;

    public LocalEngineHost(
        AzureStorageOrchestrationService service,
        TaskCatalog catalog,
        IServiceScopeFactory scopes,
        ILoggerFactory loggerFactory,
        IOptions<EngineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(options);
        _service = service;
        _catalog = catalog;
        _scopes = scopes;
        _loggerFactory = loggerFactory;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger<LocalEngineHost>();
    }

    /// <summary>True while the worker runs.</summary>
    public bool IsRunning => _worker is not null;

    /// <summary>
    /// Creates the task hub and starts the worker. When storage does not answer within <see cref="StartPatience"/>
    /// (Azurite not running yet, an outage), the app starts anyway, serving pages and reporting storage as unhealthy on
    /// /health/ready, and the engine keeps trying in the background until storage is back.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.EnableWorker)
        {
            // A client only (the web app in Azure): the Functions app creates the task hub, and this identity may not.
            LogWorkerDisabled(_options.TaskHub);
            return;
        }

        var first = CreateHubAsync(_stopping.Token);
        try
        {
            await first.WaitAsync(StartPatience, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or Azure.RequestFailedException or AggregateException)
        {
            LogStorageUnavailable(_options.TaskHub, ex.GetType().Name);
            _background = Task.Run(() => KeepTryingAsync(first, _stopping.Token), CancellationToken.None);
            return;
        }

        await StartWorkerAsync(cancellationToken);
    }

    /// <summary>How long start-up waits for storage before it goes on and lets the engine start in the background.</summary>
    public static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(5);

    private Task CreateHubAsync(CancellationToken cancellationToken) => _service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);

    private async Task KeepTryingAsync(Task attempt, CancellationToken stopping)
    {
        var delay = TimeSpan.FromSeconds(2);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await attempt;
                await StartWorkerAsync(stopping);
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogStorageUnavailable(_options.TaskHub, ex.GetType().Name);
                await Task.Delay(delay, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                attempt = CreateHubAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StartWorkerAsync(CancellationToken cancellationToken)
    {
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = DialoogDataConverter.Instance }, _loggerFactory);
        var orchestrations = new AnyVersionObjectManager<TaskOrchestration>();
        foreach (var (name, factory) in _catalog.Orchestrators)
        {
            orchestrations.Add(new OrchestrationCreator(name, shims, factory, _scopes));
        }

        var activities = new AnyVersionObjectManager<TaskActivity>();
        foreach (var (name, factory) in _catalog.Activities)
        {
            activities.Add(new ActivityCreator(name, shims, factory, _scopes));
        }

        var worker = new TaskHubWorker(_service, orchestrations, activities, _loggerFactory);
        await worker.StartAsync().WaitAsync(cancellationToken);
        _worker = worker;
        LogStarted(_options.TaskHub, _catalog.Orchestrators.Count, _catalog.Activities.Count, _catalog.CurrentVersion);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
#pragma warning disable CA1849 // nothing waits on the token's callbacks
            _stopping.Cancel();
#pragma warning restore CA1849
        }
        if (_background is { } background)
        {
            await background.WaitAsync(StopTimeout, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var worker = Interlocked.Exchange(ref _worker, null);
        if (worker is null)
        {
            return;
        }

        // Graceful first: running work items finish and partitions are handed back. If that takes too long (or the
        // host gives up), force it: unfinished work items are abandoned and redelivered to the next worker.
        try
        {
            await worker.StopAsync(isForced: false).WaitAsync(StopTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogForcedStop(_options.TaskHub);
            try
            {
                // Bounded too: with storage gone the graceful stop never ends and holds the worker's lock, so a forced
                // stop would wait for it forever and keep the process alive. Whatever is unfinished is redelivered
                // to the next worker after its messages' visibility timeout.
                await worker.StopAsync(isForced: true).WaitAsync(ForcedStopTimeout, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                LogAbandoned(_options.TaskHub);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Engine worker is off (Durable__EnableWorker=false): a client of task hub {TaskHub}, which the worker's host creates.")]
    private partial void LogWorkerDisabled(string taskHub);

    [LoggerMessage(Level = LogLevel.Information, Message = "Engine worker started on task hub {TaskHub}: {Orchestrators} orchestrators, {Activities} activities, current version {Version}.")]
    private partial void LogStarted(string taskHub, int orchestrators, int activities, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage does not answer yet ({Error}); the engine of task hub {TaskHub} keeps trying in the background.")]
    private partial void LogStorageUnavailable(string taskHub, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine worker on task hub {TaskHub} did not stop in time; stopping it by force.")]
    private partial void LogForcedStop(string taskHub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine worker on task hub {TaskHub} did not stop (is storage reachable?); leaving its work to the next worker.")]
    private partial void LogAbandoned(string taskHub);

    /// <summary>A fresh shim per execution: the shim holds the execution's context, so it is never shared.</summary>
    private sealed class OrchestrationCreator : ObjectCreator<TaskOrchestration>
    {
        private readonly DurableTaskShimFactory _shims;
        private readonly Func<IServiceProvider, ITaskOrchestrator> _factory;
        private readonly IServiceScopeFactory _scopes;

        public OrchestrationCreator(string name, DurableTaskShimFactory shims, Func<IServiceProvider, ITaskOrchestrator> factory, IServiceScopeFactory scopes)
        {
            Name = name;
            Version = "";
            _shims = shims;
            _factory = factory;
            _scopes = scopes;
        }

        public override TaskOrchestration Create()
        {
            // Orchestrators are deterministic code without I/O; the scope only lends them singleton settings if they
            // ask, and ends at once (nothing scoped may outlive an episode anyway).
            using var scope = _scopes.CreateScope();
            return _shims.CreateOrchestration(new TaskName(Name), _factory(scope.ServiceProvider), parent: null);
        }
    }

    private sealed class ActivityCreator : ObjectCreator<TaskActivity>
    {
        private readonly DurableTaskShimFactory _shims;
        private readonly Func<IServiceProvider, ITaskActivity> _factory;
        private readonly IServiceScopeFactory _scopes;

        public ActivityCreator(string name, DurableTaskShimFactory shims, Func<IServiceProvider, ITaskActivity> factory, IServiceScopeFactory scopes)
        {
            Name = name;
            Version = "";
            _shims = shims;
            _factory = factory;
            _scopes = scopes;
        }

        public override TaskActivity Create() => new ScopedActivity(new TaskName(Name), _shims, _factory, _scopes);
    }

    /// <summary>One DI scope per activity call, alive for the whole call, so scoped services (a DbContext) work.</summary>
    private sealed class ScopedActivity(TaskName name, DurableTaskShimFactory shims, Func<IServiceProvider, ITaskActivity> factory, IServiceScopeFactory scopes)
        : TaskActivity
    {
        public override string Run(TaskContext context, string input) =>
            throw new NotSupportedException("Activities run asynchronously (RunAsync).");

        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            await using var scope = scopes.CreateAsyncScope();
            var shim = shims.CreateActivity(name, factory(scope.ServiceProvider));
            return await shim.RunAsync(context, input);
        }
    }
}
