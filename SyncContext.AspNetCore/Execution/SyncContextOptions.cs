namespace SyncContext.AspNetCore.Execution;

/// <summary>Options for a SyncContext executor and the HTTP offload.</summary>
/// <remarks>
/// The default executor's options are the unnamed ones; those of an executor added with <c>AddSyncExecutor(name)</c> are
/// named after it and start from these defaults. Bound from a configuration that reloads
/// (<c>AddSyncContext(IConfiguration)</c>), <see cref="MaxThreads"/>, <see cref="MinThreads"/>, <see cref="QueueLimit"/>,
/// <see cref="CpuBudget"/> and <see cref="IdleTimeout"/> are applied while the executor runs; a change to any other
/// option is logged as needing a restart.
/// </remarks>
public sealed class SyncContextOptions
{
    /// <summary>
    /// Gets or sets the most worker threads the executor runs at once: the hard cap on synchronous work that
    /// can block at the same time.
    /// </summary>
    /// <remarks>
    /// The executor does not start this many threads: it starts one when an item waits and no worker is free,
    /// up to a limit that begins at the larger of 64 and 8 times the core count and moves by completions per
    /// second: doubled while items wait and completions rise with it (work blocked on I/O), halved while
    /// completions hold without the threads (work waiting for a pool of 32 database connections). Idle threads
    /// above <see cref="MinThreads"/> exit after <see cref="IdleTimeout"/>. The default cap matches tokio's
    /// <c>spawn_blocking</c>; a blocked thread costs its stack reservation and little else.
    /// </remarks>
    /// <value>The default value is 512.</value>
    public int MaxThreads { get; set; } = 512;

    /// <summary>
    /// Gets or sets the most CPU-bound work items that run at once, so that the other cores stay free for the
    /// async side of the app (Kestrel, async handlers, the thread pool) however much synchronous work computes.
    /// </summary>
    /// <remarks>
    /// The executor learns which work is CPU-bound as it runs: for each endpoint or delegate it keeps a moving
    /// average of its items' CPU time against the time they did not wait for a core. Items of CPU-bound work
    /// beyond the budget wait in the queue (they count against <see cref="QueueLimit"/>) while I/O-bound items
    /// keep flowing. Items shorter than a quarter of a millisecond are never held. Set it to
    /// <see cref="Environment.ProcessorCount"/> or more to let synchronous work use every core.
    /// </remarks>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/> minus one, and at least 1.</value>
    public int CpuBudget { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>
    /// Gets or sets whether the CPU budget widens to every core while the thread pool has no queued work, and
    /// narrows to <see cref="CpuBudget"/> as soon as it has some.
    /// </summary>
    /// <remarks>
    /// Off by default: measured on 2 cores (benchmarks/RESULTS.md), async requests arrive in bursts too short for
    /// the thread pool's queue to show them before they wait behind CPU-bound threads for a time slice.
    /// </remarks>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CpuBudgetWorkConserving { get; set; }

    /// <summary>Gets or sets how many worker threads are kept alive however idle the executor is.</summary>
    /// <value>
    /// The default value is the smaller of <see cref="Environment.ProcessorCount"/> and <see cref="MaxThreads"/>,
    /// so setting only <see cref="MaxThreads"/> below the core count is valid.
    /// </value>
    public int MinThreads
    {
        get => _minThreads ?? Math.Min(Environment.ProcessorCount, MaxThreads);
        set => _minThreads = value;
    }

    private int? _minThreads;

    /// <summary>
    /// Gets or sets the most work items that may wait for a worker. Past it, work is rejected at once
    /// with <see cref="WorkRejectedException"/>, and HTTP requests get <c>503</c> with <c>Retry-After</c>.
    /// </summary>
    /// <value>The default value is 1024.</value>
    public int QueueLimit { get; set; } = 1024;

    /// <summary>
    /// Gets or sets the longest a work item may wait in the queue. An item still queued when it has waited that long is
    /// failed with <see cref="WorkRejectedException"/> (<see cref="WorkRejectionReason.QueueTimeout"/>) without running,
    /// at that moment, whether or not a worker is free (an item held back for the CPU budget too),
    /// and an arriving item is refused at once when its predicted wait (its place in the queue times the recent run
    /// time of an item, divided by the threads) already exceeds it. HTTP requests get <c>503</c> with a
    /// <c>Retry-After</c> of the predicted wait (whole seconds, rounded up, and at least <see cref="RetryAfter"/>).
    /// </summary>
    /// <remarks>
    /// Off by default, so that an app that adds SyncContext answers what it answered before: only a full queue
    /// (<see cref="QueueLimit"/>) refuses work. A bound is a promise about latency that only the app can make; set it
    /// to what a caller still waits for (a client timeout, a load balancer's, a service level), and a request that
    /// would be answered too late is answered <c>503</c> at once instead, so that its client retries elsewhere and
    /// the executor does not spend a worker on an answer nobody reads. It applies to every item the executor queues,
    /// <see cref="IRunSync"/> calls included; nested calls from executor work run inline and never wait.
    /// </remarks>
    /// <value>The default value is <see cref="Timeout.InfiniteTimeSpan"/>: no bound.</value>
    public TimeSpan MaxQueueTime { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>Gets or sets how long a worker above <see cref="MinThreads"/> may stay idle before it exits.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the most times an idle worker polls the queue before it parks, pausing or yielding its core to a
    /// thread that is ready to run between polls. Zero parks at once, which saves CPU and costs a kernel wake-up on
    /// the next item. One idle worker spins at a time; its spin halves each time one runs out with no item (down to
    /// a sixteenth) and doubles each time one catches an item, and no worker spins while CPU-bound items fill the
    /// CPU budget.
    /// </summary>
    /// <value>The default value is 100.</value>
    public int SpinCount { get; set; } = 100;

    /// <summary>Gets or sets the prefix of the worker threads' names, as shown in debuggers and dumps.</summary>
    /// <remarks>Read when the executor starts; a change at run time is logged as needing a restart.</remarks>
    /// <value>
    /// The default value is <c>"SyncContext"</c> for the default executor, and <c>"SyncContext {name}"</c> for one added
    /// with <c>AddSyncExecutor(name)</c>, so its threads read <c>SyncContext legacy-db #1</c>.
    /// </value>
    public string ThreadNamePrefix
    {
        get => _threadNamePrefix ?? DefaultThreadNamePrefix;
        set => _threadNamePrefix = value;
    }

    private string? _threadNamePrefix;

    /// <summary>The threads' name prefix when none is set.</summary>
    internal const string DefaultThreadNamePrefix = "SyncContext";

    /// <summary>Gets whether <see cref="ThreadNamePrefix"/> was set, so a named executor keeps it instead of its own.</summary>
    internal bool IsThreadNamePrefixSet => _threadNamePrefix is not null;

    /// <summary>
    /// Gets or sets whether the executor runs all its work on one thread, in the order it was queued, for code that
    /// must always run on the same thread (a library that is not thread-safe, a COM object, thread-local state):
    /// asgiref's <c>thread_sensitive</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The executor then has exactly one thread, started with it and kept for its whole life: <see cref="MaxThreads"/>,
    /// <see cref="MinThreads"/> and <see cref="IdleTimeout"/> are ignored. A call from that thread runs inline. A call
    /// that would wait for itself fails at once with <see cref="InvalidOperationException"/> instead of deadlocking:
    /// one from another thread whose flow descends from the item the thread is running now (the item did
    /// <c>Task.Run(() =&gt; runSync.RunAsync(...)).Wait()</c>), which could only run after that item, which waits for it.
    /// </para>
    /// <para>Read when the executor starts; a change at run time is logged as needing a restart.</para>
    /// </remarks>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ThreadAffinity { get; set; }

    /// <summary>
    /// Gets or sets the <c>Retry-After</c> sent with a <c>503</c> when the queue is full or the executor stops, and the
    /// least one sent when work is refused for its wait (<see cref="MaxQueueTime"/>), whose <c>Retry-After</c> is the
    /// predicted time the queue takes to drain.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets whether an offloaded call may read and write the request and response bodies synchronously
    /// (<c>Request.Body.Read</c>, <c>XmlSerializer</c> on the body). It runs on an executor thread, where blocking
    /// cannot starve the thread pool, so it is allowed there by default: the one intended difference from the
    /// same app without SyncContext. Set it to <see langword="false"/> to keep the server's own setting
    /// (Kestrel refuses synchronous body I/O).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowSynchronousIO { get; set; } = true;
}
