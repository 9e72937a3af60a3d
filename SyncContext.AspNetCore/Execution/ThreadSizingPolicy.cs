namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Decides when the executor starts a worker thread and when an idle one may retire. It knows nothing of
/// threads: it is fed counts and how long a worker has idled, and answers, so it is tested with made-up
/// numbers.
/// </summary>
internal sealed class ThreadSizingPolicy
{
    /// <summary>Creates the policy.</summary>
    /// <param name="minThreads">Workers kept however idle the executor is.</param>
    /// <param name="maxThreads">The hard cap on workers.</param>
    /// <param name="idleTimeout">How long a worker above <paramref name="minThreads"/> idles before it may retire.</param>
    public ThreadSizingPolicy(int minThreads, int maxThreads, TimeSpan idleTimeout)
    {
        MinThreads = minThreads;
        MaxThreads = maxThreads;
        IdleTimeout = idleTimeout;
    }

    /// <summary>Gets the number of workers kept however idle the executor is.</summary>
    public int MinThreads { get; }

    /// <summary>Gets the hard cap on workers.</summary>
    public int MaxThreads { get; }

    /// <summary>Gets how long an idle worker waits for work before it asks <see cref="MayRetire"/>.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>
    /// Whether waiting work needs one more worker: more items wait than there are idle workers to take them
    /// (waking one of those is the handoff's job, not a new thread's), and the cap is not reached.
    /// </summary>
    /// <param name="threads">Workers alive.</param>
    /// <param name="waiting">Items queued and not yet taken.</param>
    /// <param name="idle">Workers waiting for work, spinning or parked.</param>
    public bool ShouldStartThread(int threads, int waiting, int idle) => waiting > idle && CanStartThread(threads);

    /// <summary>Whether one more worker fits under the cap.</summary>
    /// <param name="threads">Workers alive.</param>
    public bool CanStartThread(int threads) => threads < MaxThreads;

    /// <summary>Whether a worker that has idled for <paramref name="idleFor"/> may exit.</summary>
    /// <param name="threads">Workers alive, the asking one included.</param>
    /// <param name="idleFor">How long the asking worker has waited for work.</param>
    public bool MayRetire(int threads, TimeSpan idleFor) => idleFor >= IdleTimeout && threads > MinThreads;
}
