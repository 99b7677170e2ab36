using Microsoft.DurableTask;

namespace Dialoog.Core.Engine;

/// <summary>
/// One orchestrator name, several versions of its code. An instance replays on the code of the version it started on
/// (<see cref="TaskOrchestrationContext.Version"/>); an instance without a version (started before versions existed)
/// runs the oldest. A change in what an orchestrator schedules adds a version here; a version is removed only when
/// no instance of it runs any more.
/// </summary>
public sealed class VersionedOrchestrator : ITaskOrchestrator
{
    private readonly SortedDictionary<string, ITaskOrchestrator> _versions;

    public VersionedOrchestrator(IReadOnlyDictionary<string, ITaskOrchestrator> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0)
        {
            throw new ArgumentException("At least one version is needed.", nameof(versions));
        }

        _versions = new SortedDictionary<string, ITaskOrchestrator>(versions.ToDictionary(), VersionComparer.Instance);
        var first = _versions.Values.First();
        if (_versions.Values.Any(v => v.InputType != first.InputType || v.OutputType != first.OutputType))
        {
            throw new ArgumentException("Every version of an orchestrator takes the same input and gives the same output.", nameof(versions));
        }
    }

    public Type InputType => _versions.Values.First().InputType;

    public Type OutputType => _versions.Values.First().OutputType;

    public IEnumerable<string> Versions => _versions.Keys;

    public ITaskOrchestrator For(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return _versions.Values.First();
        }

        return _versions.TryGetValue(version, out var orchestrator)
            ? orchestrator
            : throw new InvalidOperationException(
                $"No code for orchestration version '{version}' (this build has {string.Join(", ", _versions.Keys)}). " +
                "Deploy a build that still has that version, or let its instances end first.");
    }

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return For(context.Version).RunAsync(context, input);
    }

    /// <summary>Orders "2" before "10".</summary>
    private sealed class VersionComparer : IComparer<string>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(string? x, string? y) =>
            Version.TryParse(Normalize(x), out var a) && Version.TryParse(Normalize(y), out var b)
                ? a.CompareTo(b)
                : string.CompareOrdinal(x, y);

        private static string? Normalize(string? v) => v is not null && !v.Contains('.', StringComparison.Ordinal) ? v + ".0" : v;
    }
}
