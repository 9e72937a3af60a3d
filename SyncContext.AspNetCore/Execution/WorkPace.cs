namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// How fast the busy workers get through their items, for <see cref="ThreadSizingPolicy"/>: the items' mean run time,
/// how long ago the last one finished, and how many run now.
/// </summary>
/// <param name="MeanRunTime">The moving average of the items' run times, or zero before the first finished.</param>
/// <param name="SinceLastCompletion">How long ago a worker last finished an item (or since the executor started).</param>
/// <param name="Running">Workers running an item now.</param>
internal readonly record struct WorkPace(TimeSpan MeanRunTime, TimeSpan SinceLastCompletion, int Running)
{
    /// <summary>How long waiting items must be expected to wait before a thread beyond the eager ones starts for them.</summary>
    public static readonly TimeSpan StartAfter = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How long no item may have finished, while items wait, before the busy workers count as blocked whatever their
    /// mean says: longer than a scheduler's time slice on a busy machine, where runnable workers also finish nothing.
    /// </summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromMilliseconds(10);

    /// <summary>Work whose items run shorter than this on average is served by the eager threads alone.</summary>
    public static readonly TimeSpan ShortWork = TimeSpan.FromMicroseconds(100);

    /// <summary>Gets whether the items are known to be short: more threads than the eager ones would only park and be woken.</summary>
    public bool IsShortWork => MeanRunTime > TimeSpan.Zero && MeanRunTime < ShortWork;

    /// <summary>
    /// How long a caller waits before it asks again whether items held back for the pace need a thread: for short work
    /// <see cref="StallAfter"/>, since only a stall would give them one (a timer every millisecond cost the process about 1.5 %
    /// of a core under a trivial handler at 33,000 req/s), otherwise <see cref="StartAfter"/>.
    /// </summary>
    public TimeSpan AskAgainAfter => IsShortWork ? StallAfter : StartAfter;

    /// <summary>
    /// Whether <paramref name="backlog"/> items with no worker free are expected to wait at least <see cref="StartAfter"/>:
    /// nothing is known of the work yet, none finished for <see cref="StallAfter"/> (the busy ones are
    /// blocked, whatever the mean says), or the busy workers need that long to drain them.
    /// </summary>
    /// <param name="backlog">Items waiting with no worker free to take them.</param>
    public bool KeepsWaiting(int backlog)
        => MeanRunTime <= TimeSpan.Zero
            || SinceLastCompletion >= StallAfter
            || backlog * MeanRunTime.Ticks >= StartAfter.Ticks * (long)Math.Max(1, Running); // none running: woken, not yet on a core
}
