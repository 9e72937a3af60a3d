using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// A bounded pool of dedicated OS threads that runs synchronous work with the caller's
/// <see cref="ExecutionContext"/>. It never uses, and so never starves, the shared thread pool.
/// </summary>
/// <remarks>
/// <para>
/// Each work item is a <see cref="Task"/> scheduled on this <see cref="TaskScheduler"/>: the task captures
/// the caller's execution context when it is created and runs inside it, so async-locals flow in and
/// nothing the work changes flows back out or onto the next item on the same thread. A task created with
/// a cancellation token that is cancelled before it starts is never run.
/// </para>
/// <para>
/// This type is the facade; each job lives in its own type: <see cref="WorkAdmission"/> decides whether an
/// item runs inline, waits or is rejected; <see cref="WorkerThreads"/> owns the threads, the queue and the
/// handoff; <see cref="ThreadSizingPolicy"/> decides when a thread starts or retires; and
/// <see cref="ExecutorShutdown"/> drains, abandons and reports.
/// </para>
/// </remarks>
public sealed partial class SyncExecutor : TaskScheduler, IRunSync, IDisposable
{
    internal const TaskCreationOptions WorkOptions =
        TaskCreationOptions.RunContinuationsAsynchronously // the awaiting request resumes on the pool, not on a worker
        | TaskCreationOptions.HideScheduler // Task.Factory.StartNew inside the work does not land here
        | TaskCreationOptions.DenyChildAttach;

    [ThreadStatic]
    private static SyncExecutor? t_running;

    [ThreadStatic]
    private static Task? t_item; // the item this thread runs now, for ExecutorItem

    [ThreadStatic]
    private static Exception? t_failBeforeStart; // a rejection, or the cancellation of an abandoned request

    [ThreadStatic]
    private static CancellationToken t_abandonQueued; // DispatchOperation's token, on its way to the queue

    private readonly WorkAdmission _admission;
    private readonly WorkerThreads _workers;
    private readonly CpuBudgetGate _budget;
    private readonly ExecutorShutdown _shutdown;
    private readonly bool _threadAffinity;
    private volatile int _maxThreads;
    private Task? _affinityItem; // with thread affinity: the item its thread runs now

    /// <summary>Creates an executor.</summary>
    /// <param name="options">The executor's options.</param>
    /// <param name="logger">Where the executor logs start, retirement, rejections and shutdown.</param>
    /// <param name="metrics">The executor's instruments, or <see langword="null"/> for none.</param>
    /// <param name="timeProvider">
    /// The clock queue waits are measured by (<see cref="SyncContextOptions.MaxQueueTime"/>, the queue and run
    /// durations), or <see langword="null"/> for <see cref="TimeProvider.System"/>.
    /// </param>
    public SyncExecutor(IOptions<SyncContextOptions> options, ILogger<SyncExecutor>? logger = null, SyncContextMetrics? metrics = null, TimeProvider? timeProvider = null)
        : this(DefaultName, (options ?? throw new ArgumentNullException(nameof(options))).Value, logger, metrics, timeProvider)
    {
    }

    /// <summary>Creates the executor registered as <paramref name="name"/>.</summary>
    internal SyncExecutor(string name, SyncContextOptions value, ILogger? logger, SyncContextMetrics? metrics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        SyncContextOptionsValidator.ThrowIfInvalid(value);

        Name = name;
        ILogger log = logger ?? NullLogger<SyncExecutor>.Instance;
        var threads = ThreadBounds.Of(value);
        var prefix = ThreadNamePrefixOf(name, value);
        _threadAffinity = value.ThreadAffinity;
        _maxThreads = threads.Max;
        var clock = timeProvider ?? TimeProvider.System;
        var telemetry = new ExecutorTelemetry(name, metrics, clock);
        var waits = new QueueWaitPolicy(value.MaxQueueTime, clock);
        _admission = new WorkAdmission(value.QueueLimit, threads.Max, prefix, log, telemetry, waits, value.RetryAfter);
        _budget = new CpuBudgetGate(new CpuBudgetPolicy(value.CpuBudget, Environment.ProcessorCount, value.CpuBudgetWorkConserving));
        _workers = new WorkerThreads(this, _admission, new ThreadSizingPolicy(threads.Min, threads.Max, threads.IdleTimeout), _budget, waits, telemetry, value.SpinCount, prefix, log);
        _shutdown = new ExecutorShutdown(this, _admission, _workers, prefix, log);
        metrics?.Observe(this, _workers);
        _workers.StartMinimum();
    }

    /// <summary>
    /// Sets where the executor reads the key of the request the calling flow belongs to (its <c>HttpContext</c>), so that a
    /// request's handler is known to run (<see cref="RunningOperations"/>) without marking its execution context. Set once,
    /// before the executor serves requests; without it, handlers mark their execution context as all other work does.
    /// </summary>
    internal Func<object?>? CurrentOperation { get; init; }

    /// <summary>The name of the executor <c>AddSyncContext</c> registers.</summary>
    internal const string DefaultName = "default";

    /// <summary>Items whose mean run time is at most this are waited for by the caller that handed them to a spinning worker, for up to their mean plus this.</summary>
    internal static readonly TimeSpan ShortItemWait = TimeSpan.FromMicroseconds(10);

    /// <summary>
    /// Gets the name the executor is registered under: <see cref="DefaultName"/>, or that of <c>AddSyncExecutor(name)</c>;
    /// the <c>synccontext.executor.name</c> tag of its instruments.
    /// </summary>
    internal string Name { get; }

    /// <summary>
    /// Gets the shared exception that the callers of <see cref="TryRunUnsafe{TResult}"/> fail with when it refuses
    /// their work, with this executor's <see cref="SyncContextOptions.RetryAfter"/>.
    /// </summary>
    internal WorkRejectedException Refusal => _admission.Refusal;

    /// <summary>Gets a task faulted once with <see cref="Refusal"/>, for callers that return a <see cref="Task"/>.</summary>
    internal Task RefusedTask => _admission.RefusedTask;

    /// <summary>A new exception like <see cref="Refusal"/>, for a caller that wraps it in a faulted task of its own.</summary>
    internal WorkRejectedException NewRefusal() => _admission.NewRefusal();

    /// <summary>Gets whether all the executor's work runs on its one thread (<see cref="SyncContextOptions.ThreadAffinity"/>).</summary>
    internal bool HasThreadAffinity => _threadAffinity;

    /// <summary>Gets the executor whose worker is running an item on this thread now, if any.</summary>
    internal static SyncExecutor? OfCurrentItem => t_running;

    /// <summary>Gets the item the calling thread runs now, on any executor, for an <see cref="ExecutorItem{TResult}"/> to find itself.</summary>
    internal static Task? CurrentItem => t_item;

    /// <summary>Gets whether the calling thread is one of this executor's workers.</summary>
    public bool IsExecutorThread => _workers.IsWorkerThread;

    /// <summary>Gets the number of worker threads alive.</summary>
    public int ThreadCount => _workers.ThreadCount;

    /// <summary>Gets the number of work items waiting for a worker.</summary>
    public int QueueLength => _admission.QueueLength;

    /// <summary>Gets the number of work items running now.</summary>
    public int RunningCount => _workers.RunningCount;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => _maxThreads;

    /// <summary>Gets the most work items that may wait beyond the free workers (<see cref="SyncContextOptions.QueueLimit"/>).</summary>
    internal int QueueLimit => _admission.QueueLimit;

    /// <summary>Gets the workers, for tests of what they learnt.</summary>
    internal WorkerThreads Workers => _workers;

    /// <summary>Waits until every worker thread has exited, for tests and orderly disposal.</summary>
    /// <returns>A task that completes when no worker thread is left.</returns>
    internal Task WhenAllWorkersExited => _workers.WhenAllExited;

    /// <inheritdoc />
    public Task RunAsync(Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        if (admission.Mode == AdmissionMode.Rejected)
        {
            return Task.FromException(_admission.Rejection(admission));
        }

        return Dispatch(new Task(static w => { BeginWork(); ((Action)w!)(); }, work, cancellationToken, WorkOptions), admission);
    }

    /// <inheritdoc />
    public Task<TResult> RunAsync<TResult>(Func<TResult> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        if (admission.Mode == AdmissionMode.Rejected)
        {
            return Task.FromException<TResult>(_admission.Rejection(admission));
        }

        return Dispatch(new Task<TResult>(static w => { BeginWork(); return ((Func<TResult>)w!)(); }, work, cancellationToken, WorkOptions), admission);
    }

    /// <inheritdoc />
    public Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        if (admission.Mode == AdmissionMode.Rejected)
        {
            return Task.FromException(_admission.Rejection(admission));
        }

        return Dispatch(new Task(static s => { BeginWork(); ((StatefulWork<TState>)s!).Invoke(); }, new StatefulWork<TState>(work, state), cancellationToken, WorkOptions), admission);
    }

    /// <inheritdoc />
    public Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        if (admission.Mode == AdmissionMode.Rejected)
        {
            return Task.FromException<TResult>(_admission.Rejection(admission));
        }

        return Dispatch(new Task<TResult>(static s => { BeginWork(); return ((StatefulWork<TState, TResult>)s!).Invoke(); }, new StatefulWork<TState, TResult>(work, state), cancellationToken, WorkOptions), admission);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="state"/> as the task's own state: one allocation,
    /// the task. A full queue or a stopping executor is answered with <see langword="false"/> and allocates nothing,
    /// so shedding load stays cheap. An item refused for its predicted wait
    /// (<see cref="SyncContextOptions.MaxQueueTime"/>) gets a task already failed with a
    /// <see cref="WorkRejectedException"/> that carries the wait, for <c>Retry-After</c>: one small allocation. The
    /// work must call <see cref="BeginWork"/> before it does anything else.
    /// </summary>
    internal bool TryRunUnsafe<TResult>(Func<object?, TResult> work, object? state, CancellationToken cancellationToken, [NotNullWhen(true)] out Task<TResult>? task)
    {
        var admission = Admit(cancellationToken);
        if (admission.Mode == AdmissionMode.Rejected)
        {
            if (admission.Reason == WorkRejectionReason.QueueTimeout)
            {
                task = Task.FromException<TResult>(_admission.PredictedRejection(admission));
                return true;
            }

            task = null;
            return false;
        }

        task = Dispatch(new Task<TResult>(work, state, cancellationToken, WorkOptions), admission);

        return true;
    }

    /// <summary>
    /// Admits a request's own work (its handler, its sync error handler) before its item is created, so that a refusal
    /// allocates nothing; then <see cref="RefusedOperation{TResult}"/> or <see cref="DispatchOperation{TResult}"/>.
    /// <paramref name="abandon"/> is the request's <c>RequestAborted</c>: checked here and again when a worker takes the
    /// item, which then fails it with an <see cref="OperationCanceledException"/> instead of running it, but not
    /// registered on the task. A registration would cost every request one more object (the registration's box) and
    /// work on both threads; without it, the task of a request aborted while it waits completes when a worker reaches
    /// it instead of at once. The item should be an <see cref="ExecutorItem{TResult}"/> that begins with
    /// <see cref="BeginOperationWork"/>.
    /// </summary>
    internal Admission AdmitOperation(CancellationToken abandon) => Admit(abandon, operationWork: true);

    /// <summary>
    /// The task a refused operation gets: for its predicted wait (<see cref="SyncContextOptions.MaxQueueTime"/>), one failed
    /// with a <see cref="WorkRejectedException"/> that carries the wait; for a full queue or a stopping executor,
    /// <see langword="null"/>, for the caller's cached one.
    /// </summary>
    internal Task<TResult>? RefusedOperation<TResult>(Admission admission)
        => admission.Reason == WorkRejectionReason.QueueTimeout ? Task.FromException<TResult>(_admission.PredictedRejection(admission)) : null;

    /// <summary>Runs or queues an admitted operation's item, with <paramref name="abandon"/> checked when a worker takes it.</summary>
    internal Task<TResult> DispatchOperation<TResult>(ExecutorItem<TResult> item, Admission admission, CancellationToken abandon)
    {
        t_abandonQueued = abandon;
        try
        {
            return Dispatch(item, admission);
        }
        finally
        {
            t_abandonQueued = default;
        }
    }

    /// <summary>
    /// Stops taking work, lets queued and running work finish until <paramref name="cancellationToken"/>
    /// is cancelled, then fails what is still queued with <see cref="WorkRejectedException"/> so that no
    /// caller waits forever, and lets the workers exit.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout runs out.</param>
    /// <returns>A task that completes when the executor has stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken) => _shutdown.StopAsync(cancellationToken);

    /// <summary>
    /// Marks the start of the host's shutdown: work is still admitted (the app's own shutdown hooks and the last
    /// requests need the executor) and counted for the report <see cref="StopAsync"/> logs.
    /// </summary>
    internal void BeginShutdown() => _admission.MarkShutdownBegun();

    /// <summary>Stops the executor at once: queued work fails with <see cref="WorkRejectedException"/>.</summary>
    public void Dispose()
    {
        if (_admission.IsAccepting)
        {
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            StopAsync(cancelled.Token).GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// The first thing every work item does, on the thread that runs it: fails the item if it is being flushed out of
    /// the queue (StopAsync after the shutdown timeout, or a worker when it waited past
    /// <see cref="SyncContextOptions.MaxQueueTime"/>), and otherwise marks its flow as descending from this executor's
    /// work (see <see cref="DescendantFlow"/>), so that what it awaits may come back without queueing.
    /// </summary>
    internal static void BeginWork()
    {
        if (t_failBeforeStart is { } rejection)
        {
            throw rejection;
        }

        // Set only while a worker runs a queued item; an item run inline elsewhere is in a marked flow already.
        if (t_running is { } executor)
        {
            if (executor._threadAffinity)
            {
                if (Volatile.Read(ref executor._affinityItem) is { } item)
                {
                    DescendantFlow.MarkAffinityWork(executor, item);
                }
            }
            else
            {
                DescendantFlow.MarkRunningWork(executor);
            }
        }
    }

    /// <summary>
    /// <see cref="BeginWork"/> for an item that runs a request's own work, one at a time while the request awaits it (its
    /// handler, its error handler), with <paramref name="operation"/> the request's key (its <c>HttpContext</c>): on a
    /// worker, the key goes in the worker's slot of <see cref="RunningOperations"/>, which allocates nothing; elsewhere, or
    /// without a key, the flow is marked as <see cref="BeginWork"/> marks it. The item ends the mark with
    /// <see cref="OperationMark.End"/>.
    /// </summary>
    internal static OperationMark BeginOperationWork(object? operation)
    {
        if (t_failBeforeStart is { } failure)
        {
            throw failure;
        }

        if (operation is not null && t_running is { _threadAffinity: false, CurrentOperation: not null } executor
            && executor._workers.Operations.TryEnter(operation, out var previous))
        {
            return new OperationMark(executor._workers.Operations, previous);
        }

        BeginWork();
        return default;
    }

    /// <summary>
    /// Fails a queued item with <paramref name="rejection"/> instead of running it: its first step throws it. Any thread
    /// may call it while workers run other items: it marks nothing as running (the item runs none of its work).
    /// </summary>
    /// <returns><see langword="false"/> for an item whose token was cancelled while it waited: nobody waits for its answer.</returns>
    internal bool ExecuteRejected(Task task, WorkRejectedException rejection)
    {
        t_failBeforeStart = rejection;
        try
        {
            return RunItem(task);
        }
        finally
        {
            t_failBeforeStart = null;
        }
    }

    /// <summary>
    /// Fails a queued item whose request was aborted while it waited (<see cref="QueuedWork.Abandon"/>) instead of running
    /// it: its first step throws an <see cref="OperationCanceledException"/> for <paramref name="abandon"/>.
    /// </summary>
    internal void ExecuteAbandoned(Task task, CancellationToken abandon)
    {
        t_failBeforeStart = new OperationCanceledException(abandon);
        try
        {
            RunItem(task);
        }
        finally
        {
            t_failBeforeStart = null;
        }
    }

    /// <summary>Runs a queued item on the calling thread: a worker's, or shutdown's when it fails the item.</summary>
    internal bool Execute(Task task)
    {
        t_running = this;
        if (_threadAffinity)
        {
            Volatile.Write(ref _affinityItem, task);
        }

        try
        {
            return RunItem(task);
        }
        finally
        {
            t_running = null;
            if (_threadAffinity)
            {
                Volatile.Write(ref _affinityItem, null);
            }
        }
    }

    /// <summary>Runs an item on the calling thread, as <see cref="CurrentItem"/> while it runs (an item may run another inline).</summary>
    private bool RunItem(Task task)
    {
        var outer = t_item;
        t_item = task;
        try
        {
            return TryExecuteTask(task);
        }
        finally
        {
            t_item = outer;
        }
    }

    /// <summary>
    /// Applies the options that can change while the executor runs (the configuration reloaded): the thread bounds and
    /// idle timeout, the queue's bound and the CPU budget. The ones read only at start are left as they were.
    /// </summary>
    internal void Reconfigure(SyncContextOptions value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var threads = _threadAffinity ? ThreadBounds.Affinity : ThreadBounds.Of(value);
        _maxThreads = threads.Max;
        _admission.SetLimits(value.QueueLimit, threads.Max);
        _budget.Policy.Budget = value.CpuBudget;
        _workers.Resize(threads.Min, threads.Max, threads.IdleTimeout);
    }

    /// <summary>The threads' name prefix: the one set, or <c>SyncContext</c> followed by a named executor's name.</summary>
    internal static string ThreadNamePrefixOf(string name, SyncContextOptions value)
        => value.IsThreadNamePrefixSet || name == DefaultName ? value.ThreadNamePrefix : $"{SyncContextOptions.DefaultThreadNamePrefix} {name}";

    /// <inheritdoc />
    protected override void QueueTask(Task task)
        => _workers.Enqueue(task, t_abandonQueued); // only tasks this class creates reach here, after Admit reserved their place

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => !taskWasPreviouslyQueued && IsNested && RunItem(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => _workers.QueuedSnapshot();

    /// <summary>
    /// Nested work, from a worker or from a flow that descends from queued work (a continuation a worker may
    /// be blocked on), runs inline: queued, it could wait forever behind its own ancestors. With thread affinity
    /// only the executor's own thread runs work, so only a call from it runs inline.
    /// </summary>
    private bool IsNested => IsExecutorThread || (!_threadAffinity && (DescendantFlow.DescendsFrom(this) || DescendsFromRunningOperation()));

    /// <summary>
    /// A request's own work (its handler) does not descend from itself: its admission skips the look at
    /// <see cref="RunningOperations"/>, whose cost grows with the threads.
    /// </summary>
    private bool IsNestedOperationWork => IsExecutorThread || (!_threadAffinity && DescendantFlow.DescendsFrom(this));

    /// <summary>Whether the calling flow belongs to a request whose handler runs on a worker now (see <see cref="RunningOperations"/>).</summary>
    private bool DescendsFromRunningOperation()
        => CurrentOperation?.Invoke() is { } operation && _workers.Operations.IsRunning(operation);

    private Admission Admit(CancellationToken cancellationToken, bool operationWork = false)
    {
        // An item that has completed (its caller may already be going on) no longer holds the thread.
        if (_threadAffinity && !IsExecutorThread && Volatile.Read(ref _affinityItem) is { IsCompleted: false } running
            && DescendantFlow.DescendsFromItem(this, running))
        {
            // Queued, it could run only after the item now on the one thread, which this call descends from and may be
            // blocked on; inline, it would run on the wrong thread.
            throw new InvalidOperationException(
                $"The SyncContext executor '{Name}' runs all its work on one thread (ThreadAffinity), and this call comes from another thread " +
                "on behalf of the item that thread is running now, so it would wait for itself: queued, it could only start after that item, " +
                "which may be waiting for it. Call it from the item itself, on its own thread (then it runs inline), or let the item await it " +
                "instead of blocking (Task.Run(...).Wait(), .Result).");
        }

        return _admission.Admit(cancellationToken, operationWork ? IsNestedOperationWork : IsNested, _workers.RunningCount, _workers.ThreadLimit);
    }

    private TTask Dispatch<TTask>(TTask task, Admission admission)
        where TTask : Task
    {
        if (task.IsCompleted)
        {
            // Cancelled before it could be queued: give back the place Admit reserved.
            if (admission.Mode == AdmissionMode.Queued)
            {
                _admission.Release();
            }

            return task;
        }

        try
        {
            if (admission.Mode == AdmissionMode.Inline)
            {
                task.RunSynchronously(this);
            }
            else
            {
                task.Start(this);
                if (WorkerThreads.TakeHandedToSpinner())
                {
                    AwaitShortItem(task);
                }
            }
        }
        catch (InvalidOperationException) when (task.IsCanceled)
        {
            // The token was cancelled between the check above and the start, so the task is already Canceled
            // and was never queued: hand the caller the cancelled task and give back the reserved place.
            if (admission.Mode == AdmissionMode.Queued)
            {
                _admission.Release();
            }
        }

        return task;
    }

    /// <summary>
    /// Waits a few microseconds for an item just handed to a spinning worker when its work is known to be that short
    /// (a mean run time of at most <see cref="ShortItemWait"/>): the caller then gets a completed task and goes on at
    /// once, instead of awaiting it and resuming from the thread pool's queue, a second hop through the pool and an
    /// await box for a handler that ran for a microsecond. A sequential request to a trivial offloaded handler took
    /// 3.7 us instead of 7.7 us and allocated 120 B less (benchmarks/RESULTS.md). It waits at most the mean run time
    /// plus <see cref="ShortItemWait"/>, only for a worker that was spinning, so it is on a core already, and only while
    /// no other work waits for the thread pool: under load the caller's thread serves the next request meanwhile, and
    /// waiting would put the two threads' work in a row instead of side by side.
    /// </summary>
    private void AwaitShortItem(Task task)
    {
        var mean = _workers.MeanRunTime;
        if (mean <= TimeSpan.Zero || mean > ShortItemWait || ThreadPool.PendingWorkItemCount > 0)
        {
            return; // long work, or other work waits for this pool thread: it serves that while the worker runs the item
        }

        var until = Stopwatch.GetTimestamp() + (long)((mean + ShortItemWait).TotalSeconds * Stopwatch.Frequency);
        while (!task.IsCompleted && Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(10);
        }
    }

    /// <summary>What <see cref="BeginOperationWork"/> put in a worker's slot, to take out when the item ends.</summary>
    internal readonly struct OperationMark(RunningOperations? operations, object? previous)
    {
        /// <summary>Gives the worker's slot back what it held before the item; nothing for an item that marked its flow instead.</summary>
        public void End() => operations?.Exit(previous);
    }

    /// <summary>The thread bounds an executor runs with: its options', or one thread kept for good with thread affinity.</summary>
    private readonly record struct ThreadBounds(int Min, int Max, TimeSpan IdleTimeout)
    {
        public static ThreadBounds Affinity => new(1, 1, Timeout.InfiniteTimeSpan);

        public static ThreadBounds Of(SyncContextOptions value)
            => value.ThreadAffinity ? Affinity : new(value.MinThreads, value.MaxThreads, value.IdleTimeout);
    }

    // A state that names its kind of work (IKeyedWork) keys the item; otherwise the delegate's method does. A value-type
    // state is never asked, so it is not boxed: the JIT drops the branch.
    private sealed class StatefulWork<TState>(Action<TState> work, TState state) : IKeyedWork
    {
        public object WorkKey => !typeof(TState).IsValueType && state is IKeyedWork keyed ? keyed.WorkKey : work.Method;

        public string? Route => !typeof(TState).IsValueType && state is IKeyedWork keyed ? keyed.Route : null;

        public void Invoke() => work(state);
    }

    private sealed class StatefulWork<TState, TResult>(Func<TState, TResult> work, TState state) : IKeyedWork
    {
        public object WorkKey => !typeof(TState).IsValueType && state is IKeyedWork keyed ? keyed.WorkKey : work.Method;

        public string? Route => !typeof(TState).IsValueType && state is IKeyedWork keyed ? keyed.Route : null;

        public TResult Invoke() => work(state);
    }
}
