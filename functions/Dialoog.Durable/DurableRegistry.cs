namespace Dialoog.Durable;

/// <summary>Orchestrators (by name and version) and activities (by name) this worker can run.</summary>
public sealed class DurableRegistry
{
    private readonly Dictionary<string, SortedList<string, Type>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Type> _activities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Registers an orchestrator. Register a changed orchestrator under a new version and keep the old one: running
    /// instances keep the version they started with, new instances get the newest.
    /// </summary>
    public DurableRegistry AddOrchestrator<T>(string? name = null, string version = "1")
        where T : class, ITaskOrchestrator
    {
        name ??= typeof(T).Name;
        if (!_orchestrators.TryGetValue(name, out var versions))
        {
            _orchestrators[name] = versions = new SortedList<string, Type>(VersionComparer.Instance);
        }

        if (!versions.TryAdd(version, typeof(T)))
        {
            throw new InvalidOperationException($"Orchestrator '{name}' version '{version}' is registered twice.");
        }

        return this;
    }

    public DurableRegistry AddActivity<T>(string? name = null)
        where T : class, ITaskActivity
    {
        name ??= typeof(T).Name;
        if (!_activities.TryAdd(name, typeof(T)))
        {
            throw new InvalidOperationException($"Activity '{name}' is registered twice.");
        }

        return this;
    }

    public IEnumerable<Type> OrchestratorTypes => _orchestrators.Values.SelectMany(v => v.Values).Distinct();

    public IEnumerable<Type> ActivityTypes => _activities.Values.Distinct();

    public string? NewestVersion(string name) =>
        _orchestrators.TryGetValue(name, out var versions) && versions.Count > 0 ? versions.Keys[^1] : null;

    public Type? FindOrchestrator(string name, string version) =>
        _orchestrators.TryGetValue(name, out var versions) && versions.TryGetValue(version, out var type) ? type : null;

    public Type? FindActivity(string name) => _activities.GetValueOrDefault(name);

    /// <summary>Orders "2" after "10" correctly when both parse as versions; otherwise ordinal.</summary>
    private sealed class VersionComparer : IComparer<string>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (System.Version.TryParse(Normalize(x), out var a) && System.Version.TryParse(Normalize(y), out var b))
            {
                return a.CompareTo(b);
            }

            return string.CompareOrdinal(x, y);
        }

        private static string? Normalize(string? v) => v is not null && !v.Contains('.', StringComparison.Ordinal) ? v + ".0" : v;
    }
}
