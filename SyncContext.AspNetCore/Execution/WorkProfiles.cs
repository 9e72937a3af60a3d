using System.Collections.Concurrent;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// The executor's <see cref="WorkProfile"/> for each kind of work, found from a queued task's state: an
/// <see cref="IKeyedWork"/> names its key (an offloaded endpoint), a delegate is keyed by its method, and
/// anything else by its type.
/// </summary>
internal sealed class WorkProfiles
{
    /// <summary>Kinds of work beyond this many share one profile, so that keys made per call cannot grow the table without end.</summary>
    internal const int MaxKinds = 1024;

    private readonly ConcurrentDictionary<object, WorkProfile> _profiles = new();
    private readonly WorkProfile _others = new();

    /// <summary>The profile of the work <paramref name="task"/> runs.</summary>
    public WorkProfile Of(Task task) => Of(KeyOf(task.AsyncState));

    /// <summary>The profile of the work named by <paramref name="key"/>.</summary>
    public WorkProfile Of(object key)
    {
        if (_profiles.TryGetValue(key, out var profile))
        {
            return profile;
        }

        return _profiles.Count >= MaxKinds ? _others : _profiles.GetOrAdd(key, static _ => new WorkProfile());
    }

    /// <summary>Gets how many kinds of work have a profile of their own, for tests of how work is keyed.</summary>
    internal int KindCount => _profiles.Count;

    /// <summary>Gets how many kinds of work are CPU-bound now, for tests of what was learnt.</summary>
    internal int CpuBoundCount => _profiles.Values.Count(static profile => profile.IsCpuBound);

    /// <summary>The key of a task's state.</summary>
    public static object KeyOf(object? state) => state switch
    {
        IKeyedWork keyed => keyed.WorkKey,
        Delegate work => work.Method,
        null => typeof(void),
        _ => state.GetType(),
    };
}
