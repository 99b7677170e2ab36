using Microsoft.DurableTask;

namespace Dialoog.Core.Engine;

/// <summary>
/// Every orchestrator and activity the app runs, by name, with the factories that make them. One list read by every
/// host: the local engine (TaskHubWorker through DurableTaskShimFactory), the virtual-time test engine and the test
/// that holds the Functions app's metadata against it. Orchestrators are versioned as a whole, as Durable Functions
/// does with its <c>defaultVersion</c>: new instances get <see cref="CurrentVersion"/>, and each orchestrator picks
/// the code for an instance's version itself (see <see cref="VersionedOrchestrator"/>).
/// </summary>
public sealed class TaskCatalog
{
    private readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities = new(StringComparer.Ordinal);

    public TaskCatalog(string currentVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currentVersion);
        CurrentVersion = currentVersion;
    }

    /// <summary>The orchestration version new instances start on.</summary>
    public string CurrentVersion { get; }

    public IReadOnlyDictionary<string, Func<IServiceProvider, ITaskOrchestrator>> Orchestrators => _orchestrators;

    public IReadOnlyDictionary<string, Func<IServiceProvider, ITaskActivity>> Activities => _activities;

    public TaskCatalog AddOrchestrator(string name, Func<IServiceProvider, ITaskOrchestrator> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_orchestrators.TryAdd(name, factory))
        {
            throw new ArgumentException($"Orchestrator '{name}' is registered twice.", nameof(name));
        }

        return this;
    }

    public TaskCatalog AddActivity<TActivity>(string name)
        where TActivity : class, ITaskActivity
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_activities.TryAdd(name, sp => ActivatorUtilities.CreateInstance<TActivity>(sp)))
        {
            throw new ArgumentException($"Activity '{name}' is registered twice.", nameof(name));
        }

        return this;
    }
}
