using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using System.Diagnostics;
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
/// Workers share one queue. One idle worker at a time spins briefly before it parks on a semaphore; the
/// others park at once. A queued item is handed to the spinning worker if there is one, and otherwise
/// releases one permit, which wakes at most one parked worker. Workers beyond
/// <see cref="SyncContextOptions.MinThreads"/> retire after <see cref="SyncContextOptions.IdleTimeout"/>.
/// </para>
/// </remarks>
public sealed partial class SyncExecutor : TaskScheduler, IRunSync, IDisposable
{
    private const TaskCreationOptions WorkOptions =
        TaskCreationOptions.RunContinuationsAsynchronously // the awaiting request resumes on the pool, not on a worker
        | TaskCreationOptions.HideScheduler // Task.Factory.StartNew inside the work does not land here
        | TaskCreationOptions.DenyChildAttach;

    [ThreadStatic]
    private static SyncExecutor? t_owner;

    [ThreadStatic]
    private static bool t_abandoning;

    private readonly ConcurrentQueue<Task> _queue = new();
    private readonly SemaphoreSlim _work = new(0, int.MaxValue);
    private readonly int _minThreads;
    private readonly int _maxThreads;
    private readonly int _queueLimit;
    private readonly int _spinCount;
    private readonly TimeSpan _idleTimeout;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly SyncContextMetrics? _metrics;
    private readonly TaskCompletionSource _allWorkersExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private const int NoSpinner = 0;
    private const int SpinnerWaiting = 1;
    private const int SpinnerHanded = 2;

    private long _lastRejectionLog = Environment.TickCount64 - 1000;
    private int _rejectedSinceLog;
    private int _queued;
    private int _threads;
    private int _idle;
    private int _spinner; // NoSpinner, or the one spinning worker's state: waiting, or handed an item to take
    private int _running;
    private int _nextThreadId;
    private volatile int _state; // 0 running, 1 stopping (no new work), 2 abandoning (queued work is failed, not run)

    /// <summary>Creates an executor.</summary>
    /// <param name="options">The executor's options.</param>
    /// <param name="logger">Where the executor logs start, retirement, rejections and shutdown.</param>
    /// <param name="metrics">The executor's instruments, or <see langword="null"/> for none.</param>
    public SyncExecutor(IOptions<SyncContextOptions> options, ILogger<SyncExecutor>? logger = null, SyncContextMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        SyncContextOptionsValidator.ThrowIfInvalid(value);

        _minThreads = value.MinThreads;
        _maxThreads = value.MaxThreads;
        _queueLimit = value.QueueLimit;
        _idleTimeout = value.IdleTimeout;
        _spinCount = value.SpinCount;
        _name = value.ThreadNamePrefix;
        _logger = logger ?? NullLogger<SyncExecutor>.Instance;
        _metrics = metrics;
        _metrics?.Observe(this);

        for (var i = 0; i < _minThreads; i++)
        {
            TryStartWorker(force: true);
        }
    }

    /// <summary>Gets whether the calling thread is one of this executor's workers.</summary>
    public bool IsExecutorThread => ReferenceEquals(t_owner, this);

    /// <summary>Gets the number of worker threads alive.</summary>
    public int ThreadCount => Volatile.Read(ref _threads);

    /// <summary>Gets the number of work items waiting for a worker.</summary>
    public int QueueLength => Volatile.Read(ref _queued);

    /// <summary>Gets the number of work items running now.</summary>
    public int RunningCount => Volatile.Read(ref _running);

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => _maxThreads;

    /// <inheritdoc />
    public Task RunAsync(Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        return admission.Rejected is { } reason
            ? Task.FromException(Rejection(reason))
            : Dispatch(new Task(static w => { ThrowIfAbandoned(); ((Action)w!)(); }, work, cancellationToken, WorkOptions), admission);
    }

    /// <inheritdoc />
    public Task<TResult> RunAsync<TResult>(Func<TResult> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        return admission.Rejected is { } reason
            ? Task.FromException<TResult>(Rejection(reason))
            : Dispatch(new Task<TResult>(static w => { ThrowIfAbandoned(); return ((Func<TResult>)w!)(); }, work, cancellationToken, WorkOptions), admission);
    }

    /// <inheritdoc />
    public Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        return admission.Rejected is { } reason
            ? Task.FromException(Rejection(reason))
            : Dispatch(new Task(static s => { ThrowIfAbandoned(); ((StatefulWork<TState>)s!).Invoke(); }, new StatefulWork<TState>(work, state), cancellationToken, WorkOptions), admission);
    }

    /// <inheritdoc />
    public Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var admission = Admit(cancellationToken);
        return admission.Rejected is { } reason
            ? Task.FromException<TResult>(Rejection(reason))
            : Dispatch(new Task<TResult>(static s => { ThrowIfAbandoned(); return ((StatefulWork<TState, TResult>)s!).Invoke(); }, new StatefulWork<TState, TResult>(work, state), cancellationToken, WorkOptions), admission);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="state"/> as the task's own state: one allocation,
    /// the task. A rejection is answered with <see langword="false"/> and allocates nothing, so shedding
    /// load stays cheap. The work must check <see cref="IsAbandoning"/> (or call <see cref="ThrowIfAbandoned"/>)
    /// before it does anything else.
    /// </summary>
    internal bool TryRunUnsafe<TResult>(Func<object?, TResult> work, object? state, CancellationToken cancellationToken, [NotNullWhen(true)] out Task<TResult>? task)
    {
        var admission = Admit(cancellationToken);
        task = admission.Rejected is null
            ? Dispatch(new Task<TResult>(work, state, cancellationToken, WorkOptions), admission)
            : null;
        return task is not null;
    }

    /// <summary>
    /// Stops taking work, lets queued and running work finish until <paramref name="cancellationToken"/>
    /// is cancelled, then fails what is still queued with <see cref="WorkRejectedException"/> so that no
    /// caller waits forever, and lets the workers exit.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the host's shutdown timeout runs out.</param>
    /// <returns>A task that completes when the executor has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        var drained = true;
        try
        {
            while (Volatile.Read(ref _queued) + Volatile.Read(ref _running) > 0)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            drained = false;
        }

        var abandoned = Volatile.Read(ref _queued);
        var stillRunning = Volatile.Read(ref _running);
        _state = 2;

        // What is still queued is failed, not run, so no caller waits on a task nobody will complete.
        // Workers stop taking items once the state is abandoning; an item one had already taken runs.
        t_abandoning = true;
        try
        {
            while (_queue.TryDequeue(out var task))
            {
                Interlocked.Decrement(ref _queued);
                TryExecuteTask(task);
            }
        }
        finally
        {
            t_abandoning = false;
        }

        if (drained)
        {
            Log.Stopped(_logger, _name);
        }
        else
        {
            Log.StoppedWithWorkLeft(_logger, _name, abandoned, stillRunning);
        }

        ReleaseWorkers();
    }

    /// <summary>Stops the executor at once: queued work fails with <see cref="WorkRejectedException"/>.</summary>
    public void Dispose()
    {
        if (_state == 0)
        {
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            StopAsync(cancelled.Token).GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits until every worker thread has exited, for tests and orderly disposal.</summary>
    /// <returns>A task that completes when no worker thread is left.</returns>
    internal Task WhenAllWorkersExited => _allWorkersExited.Task;

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        // Only tasks this class creates reach here, after Schedule reserved their place in the queue.
        _queue.Enqueue(task);

        // A spinning worker is handed the item directly: no lock, no wake-up. Otherwise a permit wakes at
        // most one parked worker.
        if (Interlocked.CompareExchange(ref _spinner, SpinnerHanded, SpinnerWaiting) != SpinnerWaiting)
        {
            _work.Release();
        }

        // Waking one worker is the spinner's or the semaphore's job; a new thread is needed only when more
        // items wait than there are workers free to take them.
        if (Volatile.Read(ref _queued) > Volatile.Read(ref _idle))
        {
            TryStartWorker(force: false);
        }
    }

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => !taskWasPreviouslyQueued && IsExecutorThread && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    /// <summary>Decides, before any allocation, whether and how a work item will run.</summary>
    private Admission Admit(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // The task is created with the cancelled token, so it is Canceled already and never runs.
            return Admission.Cancelled;
        }

        if (IsExecutorThread)
        {
            // Nested call from a worker: running inline cannot deadlock, however busy the pool is.
            return Admission.Inline;
        }

        if (_state != 0)
        {
            return Reject(WorkRejectionReason.Stopping);
        }

        // Items that a free worker (idle, or not started yet) takes at once do not wait, so only the rest
        // count against the limit; otherwise a QueueLimit of 0 would reject all work.
        var free = _maxThreads - Volatile.Read(ref _running);
        if (Interlocked.Increment(ref _queued) > (long)_queueLimit + free)
        {
            Interlocked.Decrement(ref _queued);
            return Reject(WorkRejectionReason.QueueFull);
        }

        return Admission.Queued;
    }

    private TTask Dispatch<TTask>(TTask task, Admission admission)
        where TTask : Task
    {
        if (task.IsCompleted)
        {
            // Cancelled before it could be queued: give back the place Admit reserved.
            if (admission.Mode == AdmissionMode.Queued)
            {
                Interlocked.Decrement(ref _queued);
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
            }
        }
        catch (InvalidOperationException) when (task.IsCanceled)
        {
            // The token was cancelled between the check above and the start, so the task is already Canceled
            // and was never queued: hand the caller the cancelled task and give back the reserved place.
            if (admission.Mode == AdmissionMode.Queued)
            {
                Interlocked.Decrement(ref _queued);
            }
        }

        return task;
    }

    /// <summary>Counts a rejection, and logs at most one warning a second however hard the load sheds.</summary>
    private Admission Reject(WorkRejectionReason reason)
    {
        _metrics?.Rejected(reason);
        Interlocked.Increment(ref _rejectedSinceLog);
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastRejectionLog);
        if (now - last >= 1000 && Interlocked.CompareExchange(ref _lastRejectionLog, now, last) == last)
        {
            Log.Rejected(_logger, _name, Interlocked.Exchange(ref _rejectedSinceLog, 0), reason, _queueLimit);
        }

        return new Admission(AdmissionMode.Queued, reason);
    }

    private WorkRejectedException Rejection(WorkRejectionReason reason)
        => new(reason, reason == WorkRejectionReason.QueueFull
            ? $"The SyncContext executor '{_name}' rejected the work: its queue is at its limit of {_queueLimit} items. Raise SyncContextOptions.QueueLimit or MaxThreads, or shed load."
            : $"The SyncContext executor '{_name}' rejected the work: it is stopping.");

    /// <summary>Gets whether the work item about to run is being flushed out of the queue by StopAsync, and must not run.</summary>
    internal static bool IsAbandoning => t_abandoning;

    /// <summary>Fails a work item that StopAsync is flushing out of the queue after the shutdown timeout.</summary>
    internal static void ThrowIfAbandoned()
    {
        if (t_abandoning)
        {
            throw new WorkRejectedException(WorkRejectionReason.Stopping, "The SyncContext executor stopped before this work started: the host's shutdown timeout ran out while it was queued.");
        }
    }

    private bool TryStartWorker(bool force)
    {
        while (true)
        {
            var threads = Volatile.Read(ref _threads);
            if (threads >= _maxThreads || (!force && _state != 0))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _threads, threads + 1, threads) == threads)
            {
                break;
            }
        }

        var id = Interlocked.Increment(ref _nextThreadId);
        var thread = new Thread(WorkerLoop, maxStackSize: 0)
        {
            IsBackground = true,
            Name = $"{_name} #{id}",
        };
        thread.UnsafeStart();
        Log.WorkerStarted(_logger, thread.Name, Volatile.Read(ref _threads));
        return true;
    }

    private void WorkerLoop()
    {
        t_owner = this;
        var retired = false;
        try
        {
            while (true)
            {
                var wake = WaitForWork();
                if (wake != Wake.Work)
                {
                    retired = wake == Wake.Retire;

                    // An item queued while this worker was timing out counted it as idle and started no thread;
                    // now that it no longer counts, make sure that item gets a worker.
                    if (retired && !_queue.IsEmpty && Volatile.Read(ref _queued) > Volatile.Read(ref _idle))
                    {
                        TryStartWorker(force: false);
                    }

                    return;
                }

                if (!_queue.TryDequeue(out var task))
                {
                    // A permit or a handoff always has an item behind it, except after StopAsync took them all.
                    continue;
                }

                Interlocked.Decrement(ref _queued);
                Interlocked.Increment(ref _running);
                try
                {
                    TryExecuteTask(task);
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                }
            }
        }
        finally
        {
            t_owner = null;
            var left = retired ? Volatile.Read(ref _threads) : Interlocked.Decrement(ref _threads);
            if (left == 0 && _state != 0)
            {
                _allWorkersExited.TrySetResult();
            }
        }
    }

    /// <summary>Takes one permit or handed item, or says why this worker should exit instead.</summary>
    private Wake WaitForWork()
    {
        // A worker waiting here counts as idle, spinning or parked, so a caller starts a new thread only
        // when the queue holds more items than there are workers free to take them.
        Interlocked.Increment(ref _idle);
        try
        {
            // Spin first: a warm round trip then costs a few microseconds instead of a futex wake. One idle
            // worker spins at a time: a second spinner only takes a core from the thread about to hand it
            // work, and contends with the first on the semaphore's lock when the item arrives.
            if (_spinCount > 0
                && Interlocked.CompareExchange(ref _spinner, SpinnerWaiting, NoSpinner) == NoSpinner
                && Spin() is { } woken)
            {
                return woken;
            }

            while (true)
            {
                if (_work.Wait(_idleTimeout))
                {
                    return _state == 2 ? Wake.Exit : Wake.Work;
                }

                if (_state == 2)
                {
                    return Wake.Exit;
                }

                // Idle for the whole timeout: retire if above the floor. The exchange keeps two workers
                // retiring at once from taking the pool below it.
                var threads = Volatile.Read(ref _threads);
                if (threads > _minThreads && Interlocked.CompareExchange(ref _threads, threads - 1, threads) == threads)
                {
                    Log.WorkerRetired(_logger, Thread.CurrentThread.Name, threads - 1);
                    return Wake.Retire;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _idle);
        }
    }

    /// <summary>
    /// Spins as the one registered spinner until a caller hands it an item or a permit shows up (work queued
    /// while it was busy, or StopAsync); <see langword="null"/> when the spin runs out and it should park.
    /// </summary>
    private Wake? Spin()
    {
        for (var i = 0; i < _spinCount; i++)
        {
            if (Volatile.Read(ref _spinner) == SpinnerHanded)
            {
                return TakeHandedItem();
            }

            if (_work.CurrentCount > 0)
            {
                // Stand down before taking a permit, so no caller hands this worker a second item meanwhile.
                if (Interlocked.CompareExchange(ref _spinner, NoSpinner, SpinnerWaiting) == SpinnerHanded)
                {
                    return TakeHandedItem();
                }

                if (_work.Wait(0))
                {
                    return _state == 2 ? Wake.Exit : Wake.Work;
                }

                if (Interlocked.CompareExchange(ref _spinner, SpinnerWaiting, NoSpinner) != NoSpinner)
                {
                    return null; // another worker spins now
                }
            }

            Thread.SpinWait(20);
        }

        // A caller may hand over an item up to the moment this worker stands down.
        return Interlocked.CompareExchange(ref _spinner, NoSpinner, SpinnerWaiting) == SpinnerHanded ? TakeHandedItem() : null;
    }

    /// <summary>Frees the spinner's place; the handed item is in the queue, like one behind a permit.</summary>
    private Wake TakeHandedItem()
    {
        Volatile.Write(ref _spinner, NoSpinner);
        return _state == 2 ? Wake.Exit : Wake.Work;
    }

    private void ReleaseWorkers() => _work.Release(_maxThreads);

    private enum Wake
    {
        Work,
        Exit,
        Retire,
    }

    private enum AdmissionMode
    {
        Cancelled,
        Inline,
        Queued,
    }

    private readonly record struct Admission(AdmissionMode Mode, WorkRejectionReason? Rejected = null)
    {
        public static Admission Cancelled => new(AdmissionMode.Cancelled);

        public static Admission Inline => new(AdmissionMode.Inline);

        public static Admission Queued => new(AdmissionMode.Queued);
    }

    private sealed class StatefulWork<TState>(Action<TState> work, TState state)
    {
        public void Invoke() => work(state);
    }

    private sealed class StatefulWork<TState, TResult>(Func<TState, TResult> work, TState state)
    {
        public TResult Invoke() => work(state);
    }
}
