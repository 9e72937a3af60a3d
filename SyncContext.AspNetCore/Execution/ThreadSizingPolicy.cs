namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Decides when the executor starts a worker thread and when one retires. It knows nothing of threads: it is
/// fed counts, a clock and how long a worker has idled, and answers, so it is tested with made-up numbers.
/// </summary>
/// <remarks>
/// <para>
/// Threads start when items wait and no worker is free, up to a limit that <see cref="ThreadLimitController"/> moves
/// by completions per second between <see cref="MinThreads"/> (or the core count) and <see cref="MaxThreads"/>, the
/// user's hard cap. A worker above the limit retires when it finishes its item; one above <see cref="MinThreads"/>
/// retires after idling for <see cref="IdleTimeout"/>.
/// </para>
/// <para>
/// Up to <see cref="EagerThreads"/> (two per core: one to run, one to cover a wake-up) a thread starts at once. Beyond
/// them a thread starts only when the waiting items would otherwise wait at least <see cref="WorkPace.StartAfter"/>
/// (<see cref="WorkPace.KeepsWaiting"/>): the busy workers' items are long (blocked work), or none has finished for
/// <see cref="WorkPace.StallAfter"/>. For short work (<see cref="WorkPace.IsShortWork"/>) the threads beyond the eager
/// ones retire after their item. Short items are served faster by a few busy workers that find the next item queued
/// than by one thread per waiting item, each of which parks and has to be woken: measured with a trivial handler at 32
/// connections on 2 cores, 4 threads served about 30 % more requests than 33, at less CPU per request.
/// </para>
/// </remarks>
internal sealed class ThreadSizingPolicy
{
    /// <summary>The limit the controller starts from: the executor's fixed size before threads grew on demand.</summary>
    internal static readonly int InitialLimit = Math.Max(64, 8 * Environment.ProcessorCount);

    private readonly ThreadLimitController _limit;

    /// <summary>Creates the policy.</summary>
    /// <param name="minThreads">Workers kept however idle the executor is.</param>
    /// <param name="maxThreads">The hard cap on workers.</param>
    /// <param name="idleTimeout">How long a worker above <paramref name="minThreads"/> idles before it may retire.</param>
    /// <param name="limit">The controller of the thread limit; by default one from the core count to <paramref name="maxThreads"/>, starting at <see cref="InitialLimit"/>.</param>
    /// <param name="eagerThreads">The threads that start at once for waiting items; by default two per core.</param>
    public ThreadSizingPolicy(int minThreads, int maxThreads, TimeSpan idleTimeout, ThreadLimitController? limit = null, int? eagerThreads = null)
    {
        MinThreads = minThreads;
        MaxThreads = maxThreads;
        IdleTimeout = idleTimeout;
        EagerThreads = eagerThreads ?? 2 * Environment.ProcessorCount;
        _limit = limit ?? new ThreadLimitController(Math.Max(minThreads, Environment.ProcessorCount), maxThreads, InitialLimit);
    }

    /// <summary>Gets the number of threads that start at once whenever items wait with no worker free.</summary>
    public int EagerThreads { get; }

    /// <summary>Gets the number of workers kept however idle the executor is.</summary>
    public int MinThreads { get; private set; }

    /// <summary>Gets the hard cap on workers.</summary>
    public int MaxThreads { get; private set; }

    /// <summary>Gets how long an idle worker waits for work before it asks <see cref="MayRetire"/>.</summary>
    public TimeSpan IdleTimeout { get; private set; }

    /// <summary>
    /// Moves the bounds when the configuration reloads; the caller keeps the limit controller from being fed meanwhile.
    /// Threads above the new limit retire after their item, idle ones above <paramref name="minThreads"/> after
    /// <paramref name="idleTimeout"/>.
    /// </summary>
    /// <param name="minThreads">Workers kept however idle the executor is.</param>
    /// <param name="maxThreads">The hard cap on workers.</param>
    /// <param name="idleTimeout">How long a worker above <paramref name="minThreads"/> idles before it may retire.</param>
    public void Resize(int minThreads, int maxThreads, TimeSpan idleTimeout)
    {
        _limit.Rebound(Math.Max(minThreads, Environment.ProcessorCount), maxThreads);
        MaxThreads = maxThreads;
        MinThreads = minThreads;
        IdleTimeout = idleTimeout;
    }

    /// <summary>Gets how many workers may run now, at most <see cref="MaxThreads"/>.</summary>
    public int ThreadLimit => Math.Max(MinThreads, _limit.Limit);

    /// <summary>
    /// Whether waiting work needs one more worker: more items wait than there are idle workers to take them
    /// (waking one of those is the handoff's job, not a new thread's), the limit is not reached, and either fewer
    /// than <see cref="EagerThreads"/> live or the busy workers would leave the waiting items waiting
    /// (<see cref="WorkPace.KeepsWaiting"/>).
    /// </summary>
    /// <param name="threads">Workers alive.</param>
    /// <param name="waiting">Items queued and not yet taken, not counting those held back for the CPU budget.</param>
    /// <param name="idle">Workers waiting for work, spinning or parked.</param>
    /// <param name="pace">How fast the busy workers get through their items.</param>
    public bool ShouldStartThread(int threads, int waiting, int idle, WorkPace pace)
        => waiting > idle && threads < ThreadLimit && (threads < EagerThreads || pace.KeepsWaiting(waiting - idle));

    /// <summary>
    /// Whether the only reason <see cref="ShouldStartThread"/> says no is that the waiting items are expected to be
    /// taken soon: the caller asks again after <see cref="WorkPace.AskAgainAfter"/>, in case they are not (every worker blocked,
    /// and nothing arrives or finishes to ask again).
    /// </summary>
    /// <param name="threads">Workers alive.</param>
    /// <param name="waiting">Items queued and not yet taken, not counting those held back for the CPU budget.</param>
    /// <param name="idle">Workers waiting for work, spinning or parked.</param>
    public bool ShouldAskAgain(int threads, int waiting, int idle) => waiting > idle && threads < ThreadLimit && threads >= EagerThreads;

    /// <summary>Whether one more worker fits under the hard cap, for the workers kept however idle the executor is.</summary>
    /// <param name="threads">Workers alive.</param>
    public bool CanStartThread(int threads) => threads < MaxThreads;

    /// <summary>Whether a worker that has idled for <paramref name="idleFor"/> may exit.</summary>
    /// <param name="threads">Workers alive, the asking one included.</param>
    /// <param name="idleFor">How long the asking worker has waited for work.</param>
    public bool MayRetire(int threads, TimeSpan idleFor) => idleFor >= IdleTimeout && threads > MinThreads;

    /// <summary>
    /// Whether a worker that just finished an item should exit: the limit came down below the threads alive, or the work
    /// is short, more than <see cref="EagerThreads"/> (and <see cref="MinThreads"/>) live, and no backlog needs them.
    /// </summary>
    /// <param name="threads">Workers alive, the asking one included.</param>
    /// <param name="backlog">Items waiting with no worker free to take them.</param>
    /// <param name="pace">How fast the busy workers get through their items.</param>
    public bool ShouldRetireAfterItem(int threads, int backlog, WorkPace pace)
        => threads > ThreadLimit
            || (threads > Math.Max(EagerThreads, MinThreads) && pace.IsShortWork && !pace.KeepsWaiting(backlog));

    /// <summary>Says the executor ran out of work, nothing running and nothing queued: the limit controller's next sample starts a new measurement.</summary>
    public void Rest() => _limit.Rest();

    /// <summary>Feeds the limit controller; returns whether the limit rose, so threads should start for the backlog.</summary>
    /// <param name="now">A clock in milliseconds.</param>
    /// <param name="completed">Items completed since the start.</param>
    /// <param name="backlog">Items waiting with no idle worker to take them, not counting those held back for the CPU budget.</param>
    /// <param name="busy">Workers running an item.</param>
    /// <param name="wallTime">The wall time of the items completed since the start, a running total (zero when not known).</param>
    public bool Observe(long now, long completed, int backlog, int busy, long wallTime = 0)
    {
        var before = _limit.Limit;
        return _limit.Observe(now, completed, backlog, busy, wallTime) > before;
    }
}
