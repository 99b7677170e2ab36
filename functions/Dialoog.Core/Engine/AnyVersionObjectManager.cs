using DurableTask.Core;

namespace Dialoog.Core.Engine;

/// <summary>
/// Finds orchestrations and activities by name alone. DurableTask.Core's own manager matches name and version exactly
/// (its key is <c>name_version</c>), but our instances carry versions ("1", "2", …) that one registration per name must
/// serve (<see cref="VersionedOrchestrator"/> picks the code), and the worker shims schedule activities with the
/// calling instance's version, so activities would miss too.
/// </summary>
internal sealed class AnyVersionObjectManager<T> : INameVersionObjectManager<T>
{
    private readonly Dictionary<string, ObjectCreator<T>> _creators = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Add(ObjectCreator<T> creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        lock (_gate)
        {
            if (!_creators.TryAdd(creator.Name, creator))
            {
                throw new InvalidOperationException($"'{creator.Name}' is registered twice.");
            }
        }
    }

    public T? GetObject(string name, string? version)
    {
        ObjectCreator<T>? creator;
        lock (_gate)
        {
            _creators.TryGetValue(name, out creator);
        }

        return creator is null ? default : creator.Create();
    }
}
