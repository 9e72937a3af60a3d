using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// The executor's dedicated threads and the one queue they share: starting and retiring workers as
/// <see cref="ThreadSizingPolicy"/> says, handing queued items to them, and the loop each one runs.
/// </summary>
/// <remarks>
/// <para>
/// One idle worker at a time spins briefly before it parks on a semaphore; the others park at once. A
/// queued item is handed to the spinning worker if there is one, and otherwise releases one permit, which
/// wakes at most one parked worker.
/// </para>
/// <para>
/// A worker measures each item it runs (wall time, and for long or new work its thread's CPU time and
/// run-queue wait) into the item's <see cref="WorkProfile"/>. An item whose work is CPU-bound passes
/// <see cref="CpuBudgetGate"/> first and waits there while the budget is spent; the worker goes on with other
/// items. Completions and the backlog feed the thread limit once per sample interval, from whichever thread
/// queues or finishes an item first.
/// </para>
/// <para>
/// Each item is stamped with the executor clock when it is queued. The worker that takes it measures its wait (for
/// <c>synccontext.work.queue.duration</c> and its trace) and, past <see cref="SyncContextOptions.MaxQueueTime"/>, fails
/// it with <see cref="WorkRejectionReason.QueueTimeout"/> instead of running it; so does a timer, armed only while
/// items are queued, for those still queued at the bound because every worker is busy; run times feed
/// <see cref="QueueWaitPolicy"/>, which predicts the wait of the next arrival.
/// </para>
/// </remarks>
internal sealed class WorkerThreads
{
    private const int NoSpinner = 0;
    private const int SpinnerWaiting = 1;
    private const int SpinnerHanded = 2;

    [ThreadStatic]
    private static WorkerThreads? t_owner;

    private readonly ConcurrentQueue<QueuedWork> _queue = new();
    private readonly SemaphoreSlim _work = new(0, int.MaxValue);
    private readonly TaskCompletionSource _allWorkersExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SyncExecutor _executor;
    private readonly WorkAdmission _admission;
    private readonly ThreadSizingPolicy _sizing;
    private readonly CpuBudgetGate _budget;
    private readonly WorkProfiles _profiles = new();
    private readonly RunningOperations _operations = new();
    private readonly QueueWaitPolicy _waits;
    private readonly ExecutorTelemetry _telemetry;
    private readonly bool _clockIsStopwatch;
    private readonly IdleSpinPolicy _spin;
    private readonly string _name;
    private readonly ILogger _logger;

    private int _threads;
    private int _idle;
    private int _spinner; // NoSpinner, or the one spinning worker's state: waiting, or handed an item to take
    private int _running;
    private int _nextThreadId;
    private int _finishedWhileStopping;
    private long _completed;
    private long _completedWallTicks; // the completed items' wall time, added before _completed counts them
    private long _nextObservation;
    private int _observing;
    private long _lastCompletedAt = Stopwatch.GetTimestamp(); // when a worker last finished an item, for WorkPace
    private Timer? _askAgain; // asks the sizing policy again when it held back a thread for items expected to be taken soon
    private int _askAgainArmed;
    private ITimer? _expiry; // fails the oldest queued items when they pass MaxQueueTime, only while one is queued
    private int _expiryArmed;

    public WorkerThreads(SyncExecutor executor, WorkAdmission admission, ThreadSizingPolicy sizing, CpuBudgetGate budget, QueueWaitPolicy waits, ExecutorTelemetry telemetry, int spinCount, string name, ILogger logger)
    {
        _executor = executor;
        _admission = admission;
        _sizing = sizing;
        _budget = budget;
        _waits = waits;
        _telemetry = telemetry;
        _clockIsStopwatch = telemetry.Clock == TimeProvider.System;
        _spin = new IdleSpinPolicy(spinCount);
        _name = name;
        _logger = logger;
    }

    /// <summary>Gets whether the calling thread is one of these workers.</summary>
    public bool IsWorkerThread => ReferenceEquals(t_owner, this);

    /// <summary>Gets the number of worker threads alive.</summary>
    public int ThreadCount => Volatile.Read(ref _threads);

    /// <summary>Gets the number of items the workers are running now.</summary>
    public int RunningCount => Volatile.Read(ref _running);

    /// <summary>Gets the number of CPU-bound items running now, at most the CPU budget.</summary>
    public int CpuBoundRunningCount => _budget.RunningCount;

    /// <summary>Gets the number of CPU-bound items held back while the CPU budget is spent.</summary>
    public int HeldCount => _budget.HeldCount;

    /// <summary>Gets the most CPU-bound items that run at once now.</summary>
    public int CpuBudget => _budget.Policy.CurrentBudget(_budget.Policy.WorkConserving ? ThreadPool.PendingWorkItemCount : 0);

    /// <summary>Gets how many workers may run now: the limit the sizing policy moves under MaxThreads.</summary>
    public int ThreadLimit => _sizing.ThreadLimit;

    /// <summary>Gets the queue-time policy, for tests of what it learnt.</summary>
    internal QueueWaitPolicy Waits => _waits;

    /// <summary>Gets the idle workers' spin policy, for tests of what it learnt.</summary>
    internal IdleSpinPolicy SpinPolicy => _spin;

    /// <summary>Gets the profiles of the work seen, for tests.</summary>
    internal WorkProfiles Profiles => _profiles;

    /// <summary>Gets the requests whose handler each worker runs now.</summary>
    internal RunningOperations Operations => _operations;

    /// <summary>Gets the number of items the workers finished since the executor stopped admitting work.</summary>
    public int FinishedWhileStopping => Volatile.Read(ref _finishedWhileStopping);

    /// <summary>Completes when no worker thread is left after the executor stopped.</summary>
    public Task WhenAllExited => _allWorkersExited.Task;

    /// <summary>Starts the workers kept however idle the executor is.</summary>
    public void StartMinimum()
    {
        for (var i = 0; i < _sizing.MinThreads; i++)
        {
            TryStartWorker(force: true);
        }
    }

    [ThreadStatic]
    private static bool t_handedToSpinner;

    /// <summary>
    /// Whether the item this thread queued last was handed to a spinning worker, which takes it within a microsecond or
    /// two; reading it clears it.
    /// </summary>
    public static bool TakeHandedToSpinner()
    {
        var handed = t_handedToSpinner;
        t_handedToSpinner = false;
        return handed;
    }

    /// <summary>Gets whether a worker spins for work now, so that the next item is handed to it.</summary>
    internal bool HasSpinner => Volatile.Read(ref _spinner) == SpinnerWaiting;

    /// <summary>Gets the items' mean run time, zero before one finished.</summary>
    public TimeSpan MeanRunTime => _waits.MeanRunTime;

    /// <summary>Queues an item whose place <see cref="WorkAdmission"/> reserved, and makes sure a worker takes it.</summary>
    public void Enqueue(Task task, CancellationToken abandon = default)
    {
        _queue.Enqueue(new QueuedWork(task, _clockIsStopwatch ? Stopwatch.GetTimestamp() : _telemetry.Clock.GetTimestamp(), _telemetry.CallerToTrace(), abandon));
        Signal();
        if (_waits.IsBounded && Volatile.Read(ref _expiryArmed) == 0)
        {
            ArmExpiry();
        }

        ObserveIfDue();
    }

    /// <summary>
    /// Arms the expiry timer for the moment the oldest waiting item (queued, or held back for the CPU budget) passes
    /// <see cref="SyncContextOptions.MaxQueueTime"/>, unless it is armed already or nothing waits. Armed at most once at
    /// a time; it re-arms itself while items wait.
    /// </summary>
    private void ArmExpiry()
    {
        long oldest;
        while (true)
        {
            if (Interlocked.Exchange(ref _expiryArmed, 1) != 0 || _admission.IsAbandoning)
            {
                return; // armed already, or shutdown fails what is left (and the flag stays set)
            }

            if (TryGetOldestWaiting(out oldest))
            {
                break;
            }

            // Nothing waits: disarmed. An item queued or held after the look saw the timer armed and left it to this call.
            Volatile.Write(ref _expiryArmed, 0);
            if (_queue.IsEmpty && _budget.HeldCount == 0)
            {
                return;
            }
        }

        // A millisecond past the bound, so that the oldest has waited longer than it when the timer fires.
        var due = _waits.MaxQueueTime - _telemetry.Clock.GetElapsedTime(oldest) + TimeSpan.FromMilliseconds(1);
        CreatedOnce(ref _expiry, static self => self._telemetry.Clock.CreateTimer(static state => ((WorkerThreads)state!).FailExpired(), self, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan))
            .Change(due > TimeSpan.FromMilliseconds(1) ? due : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timer in <paramref name="field"/>, created on first use; a caller that lost the race disposes its own.</summary>
    private TTimer CreatedOnce<TTimer>(ref TTimer? field, Func<WorkerThreads, TTimer> create)
        where TTimer : class, ITimer
    {
        if (Volatile.Read(ref field) is { } timer)
        {
            return timer;
        }

        var created = create(this);
        timer = Interlocked.CompareExchange(ref field, created, null) ?? created;
        if (!ReferenceEquals(timer, created))
        {
            created.Dispose();
        }

        return timer;
    }

    /// <summary>
    /// The expiry timer: fails the queued items that waited past <see cref="SyncContextOptions.MaxQueueTime"/> while every
    /// worker was busy, and the CPU-bound items held back for the budget as long, so that their callers get their 503 at
    /// the bound, not when a worker or a CPU slot is free again. The queue is in arrival order, so the expired items are
    /// the ones at its head. Then arms itself for the next oldest item.
    /// </summary>
    private void FailExpired()
    {
        Volatile.Write(ref _expiryArmed, 0); // cleared first: an item queued from now on arms the timer itself if need be
        while (!_admission.IsAbandoning && _queue.TryPeek(out var head) && _waits.HasWaitedTooLong(_telemetry.Clock.GetElapsedTime(head.QueuedAt)))
        {
            if (!_queue.TryDequeue(out var item))
            {
                break;
            }

            var waited = _telemetry.Clock.GetElapsedTime(item.QueuedAt);
            if (!_waits.HasWaitedTooLong(waited))
            {
                // A worker took the head between the look and the take: this younger item goes back, keeping its queue
                // time (a worker that takes it checks it again), and needs a worker's attention like any queued item.
                _queue.Enqueue(item);
                Signal();
                break;
            }

            // Its permit stays behind: the worker it wakes finds the queue without it and waits again.
            Expire(item, waited);
        }

        // Held CPU-bound items have waited as long as queued ones: their callers get their 503 at the bound too, not when
        // a CPU-bound item finishes and a worker takes them. They hold no slot, only their place in the admission's count.
        if (!_admission.IsAbandoning && _budget.TakeExpired(item => _waits.HasWaitedTooLong(_telemetry.Clock.GetElapsedTime(item.QueuedAt))) is { } expired)
        {
            foreach (var item in expired)
            {
                Expire(item, _telemetry.Clock.GetElapsedTime(item.QueuedAt));
            }
        }

        if (!_queue.IsEmpty || _budget.HeldCount > 0)
        {
            ArmExpiry();
        }
    }

    /// <summary>Gives back the place of an item taken out of waiting past the bound, and fails it (or only counts it, if its caller left).</summary>
    private void Expire(QueuedWork item, TimeSpan waited)
    {
        _admission.Release();
        if (item.IsAbandoned)
        {
            _telemetry.Taken(item, waited, WorkResult.Canceled); // its token was cancelled while it waited: nobody waits for it
            FailAbandoned(item);
            return;
        }

        FailWaitedTooLong(item, waited, cpuSlot: false);
    }

    /// <summary>Gets when the oldest item still waiting was queued: the queue's head, or an item held for the CPU budget.</summary>
    private bool TryGetOldestWaiting(out long queuedAt)
    {
        var held = _budget.TryGetOldestQueuedAt(out queuedAt);
        if (_queue.TryPeek(out var head))
        {
            queuedAt = held ? Math.Min(queuedAt, head.QueuedAt) : head.QueuedAt;
            return true;
        }

        return held;
    }

    /// <summary>Makes sure a worker takes the item just queued: a handoff, a permit, and a new thread if none is free.</summary>
    private void Signal()
    {
        // A spinning worker is handed the item directly: no lock, no wake-up. Otherwise a permit wakes at
        // most one parked worker.
        var handed = Interlocked.CompareExchange(ref _spinner, SpinnerHanded, SpinnerWaiting) == SpinnerWaiting;
        t_handedToSpinner = handed;
        if (!handed)
        {
            _work.Release();
        }

        // Waking one worker is the spinner's or the semaphore's job; a new thread is needed only when more
        // items wait than there are workers free to take them, and they would wait long for the busy ones.
        StartThreadIfNeeded();
    }

    /// <summary>
    /// Starts threads when the sizing policy says the waiting items need them, at most <paramref name="most"/> (and one
    /// per item waiting with no worker free); asks again later when it says they will be taken soon.
    /// </summary>
    private void StartThreadIfNeeded(int most = 1)
    {
        var threads = Volatile.Read(ref _threads);
        var waiting = Waiting;
        var idle = Volatile.Read(ref _idle);
        if (waiting <= idle)
        {
            return; // an idle worker takes each waiting item (the policy's first condition): no pace to read
        }

        var pace = Pace;
        if (_sizing.ShouldStartThread(threads, waiting, idle, pace))
        {
            var start = Math.Min(most, Math.Min(waiting - idle, _sizing.ThreadLimit - threads));
            for (var i = 0; i < start && TryStartWorker(force: false); i++)
            {
            }
        }
        else if (_sizing.ShouldAskAgain(threads, waiting, idle))
        {
            AskAgainLater(pace.AskAgainAfter);
        }
    }

    /// <summary>How fast the busy workers get through their items now.</summary>
    private WorkPace Pace
        => new(_waits.MeanRunTime, Stopwatch.GetElapsedTime(Volatile.Read(ref _lastCompletedAt)), Volatile.Read(ref _running));

    /// <summary>
    /// Items wait with every worker busy, and the busy ones were expected to take them soon: if they have not after
    /// <paramref name="after"/> (<see cref="WorkPace.AskAgainAfter"/>: every worker blocked, nothing arriving or finishing
    /// that would ask), the threads they need start then. One timer, armed at most once at a time.
    /// </summary>
    private void AskAgainLater(TimeSpan after)
    {
        if (Interlocked.Exchange(ref _askAgainArmed, 1) != 0 || !_admission.IsAccepting)
        {
            return;
        }

        CreatedOnce(ref _askAgain, static self => new Timer(static state => ((WorkerThreads)state!).AskAgain(), self, Timeout.Infinite, Timeout.Infinite))
            .Change(after, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timer's question: a backlog that has waited for the busy workers long enough gets all its threads now, as when the limit rises.</summary>
    private void AskAgain()
    {
        Volatile.Write(ref _askAgainArmed, 0);
        if (_admission.IsAccepting)
        {
            StartThreadIfNeeded(most: int.MaxValue);
        }
    }

    /// <summary>Items queued for a thread: the admitted ones no worker took, less those held back for the CPU budget.</summary>
    private int Waiting => _admission.QueueLength - _budget.HeldCount;

    /// <summary>Takes a queued item away from the workers, for shutdown to fail it.</summary>
    public bool TryTakeQueued([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Task? task)
    {
        if (_queue.TryDequeue(out var item))
        {
            task = item.Task;
            _admission.Release();
            return true;
        }

        if (_budget.TryTakeAny(out task))
        {
            _admission.Release();
            return true;
        }

        return false;
    }

    /// <summary>A snapshot of the queued items, held ones included, for debuggers.</summary>
    public Task[] QueuedSnapshot() => [.. _queue.Select(static item => item.Task), .. _budget.HeldSnapshot()];

    /// <summary>Wakes every parked worker so that each sees the executor is abandoning and exits.</summary>
    public void ReleaseAll() => _work.Release(Math.Max(_sizing.MaxThreads, Volatile.Read(ref _threads)));

    /// <summary>
    /// Moves the thread bounds when the configuration reloads, and starts the threads they call for now: up to the
    /// new floor, and one for each item waiting with no worker free. Threads above a lowered limit retire after their
    /// item, idle ones after the idle timeout.
    /// </summary>
    public void Resize(int minThreads, int maxThreads, TimeSpan idleTimeout)
    {
        // The limit controller is fed under this flag (ObserveIfDue); it is never fed and moved at once.
        var spin = default(SpinWait);
        while (Interlocked.Exchange(ref _observing, 1) != 0)
        {
            spin.SpinOnce();
        }

        try
        {
            _sizing.Resize(minThreads, maxThreads, idleTimeout);
        }
        finally
        {
            Volatile.Write(ref _observing, 0);
        }

        if (!_admission.IsAccepting)
        {
            return;
        }

        while (Volatile.Read(ref _threads) < _sizing.MinThreads && TryStartWorker(force: true))
        {
        }

        var start = Math.Min(Waiting - Volatile.Read(ref _idle), _sizing.ThreadLimit - Volatile.Read(ref _threads));
        for (var i = 0; i < start && TryStartWorker(force: false); i++)
        {
        }
    }

    private bool TryStartWorker(bool force)
    {
        while (true)
        {
            var threads = Volatile.Read(ref _threads);
            if (!(force ? _sizing.CanStartThread(threads) : threads < _sizing.ThreadLimit) || (!force && !_admission.IsAccepting))
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
        _operations.Join();
        using var clock = ThreadRunClock.ForCurrentThread();
        var retired = false;
        try
        {
            while (true)
            {
                // A CPU-bound item that finished gave back its slot: the oldest held item goes before new work.
                if (!_admission.IsAbandoning && _budget.TryTakeHeld(out var held))
                {
                    if (retired = Run(held, _profiles.Of(held.Task), cpuSlot: true, clock))
                    {
                        return;
                    }

                    continue;
                }

                var wake = WaitForWork();
                if (wake != Wake.Work)
                {
                    retired = wake == Wake.Retire;

                    // An item queued while this worker was timing out counted it as idle and started no thread;
                    // now that it no longer counts, make sure that item gets a worker.
                    if (retired && !_queue.IsEmpty)
                    {
                        StartThreadIfNeeded();
                    }

                    return;
                }

                if (!_queue.TryDequeue(out var item))
                {
                    // A permit or a handoff always has an item behind it, except after shutdown took them all.
                    continue;
                }

                var profile = _profiles.Of(item.Task);
                var cpuSlot = false;
                if (profile.IsCpuBound)
                {
                    if (!_budget.TryEnter(item))
                    {
                        // Held: a CPU-bound item that finishes hands it a slot, or the expiry timer fails it at the bound.
                        if (_waits.IsBounded && Volatile.Read(ref _expiryArmed) == 0)
                        {
                            ArmExpiry();
                        }

                        continue;
                    }

                    cpuSlot = true;
                }

                if (retired = Run(item, profile, cpuSlot, clock))
                {
                    return;
                }
            }
        }
        finally
        {
            _operations.Leave();
            t_owner = null;
            var left = retired ? Volatile.Read(ref _threads) : Interlocked.Decrement(ref _threads);
            if (left == 0 && !_admission.IsAccepting)
            {
                _askAgain?.Dispose();
                _expiry?.Dispose();
                _allWorkersExited.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Runs one item, measures it into its profile; <see langword="true"/> when this worker retired afterwards. An item
    /// that waited longer than the queue time allows is failed instead (<see cref="WorkRejectionReason.QueueTimeout"/>).
    /// </summary>
    private bool Run(QueuedWork item, WorkProfile profile, bool cpuSlot, ThreadRunClock clock)
    {
        _admission.Release();
        var task = item.Task;
        var taken = Stopwatch.GetTimestamp();
        var takenOnClock = _clockIsStopwatch ? taken : _telemetry.Clock.GetTimestamp();
        var waited = _telemetry.Clock.GetElapsedTime(item.QueuedAt, takenOnClock);
        if (_waits.HasWaitedTooLong(waited) && !task.IsCompleted)
        {
            FailWaitedTooLong(item, waited, cpuSlot);
            return false;
        }

        if (!task.IsCompleted && item.Abandon.IsCancellationRequested)
        {
            // Its request was aborted while it waited: nobody waits for its answer, and its work is not learnt from.
            if (cpuSlot)
            {
                _budget.Exit();
            }

            _telemetry.Taken(item, waited, WorkResult.Canceled);
            FailAbandoned(item);
            return false;
        }

        _telemetry.Taken(item, waited, task.IsCanceled ? WorkResult.Canceled : WorkResult.Started);
        Interlocked.Increment(ref _running);
        TimeSpan cpuBefore = default, runnableBefore = default;
        var measured = profile.NeedsCpuMeasurement && clock.TryRead(out cpuBefore, out runnableBefore);
        var started = measured ? Stopwatch.GetTimestamp() : taken; // the clock read is a system call, not the item's time
        bool released;
        try
        {
            _executor.Execute(task);
        }
        finally
        {
            var ended = Stopwatch.GetTimestamp();
            var wall = Stopwatch.GetElapsedTime(started, ended);
            var ranFor = _clockIsStopwatch ? wall : _telemetry.Clock.GetElapsedTime(takenOnClock);
            _waits.RecordRunTime(ranFor); // also the sizing policy's pace, bounded queue time or not
            Volatile.Write(ref _lastCompletedAt, ended);

            _telemetry.Ran(task, ranFor);
            released = measured && clock.TryRead(out var cpuAfter, out var runnableAfter)
                ? profile.Record(wall, cpuAfter - cpuBefore, runnableAfter - runnableBefore)
                : profile.RecordWallTime(wall);

            if (cpuSlot)
            {
                _budget.Exit();
            }

            // Counted before the item stops counting as running, so shutdown never misses one between the two.
            if (_admission.ShutdownBegun)
            {
                Interlocked.Increment(ref _finishedWhileStopping);
            }

            Interlocked.Add(ref _completedWallTicks, wall.Ticks);
            Interlocked.Increment(ref _completed);
            if (Interlocked.Decrement(ref _running) == 0 && Waiting == 0)
            {
                _sizing.Rest(); // an idle moment: what the limit controller measures across it is the load, not the threads
            }
        }

        if (released)
        {
            RequeueNoLongerCpuBound();
        }

        ObserveIfDue();

        // A worker that gave back a CPU slot looks at the held items before anything else, so it never retires here.
        return !cpuSlot && TryRetireAfterItem();
    }

    /// <summary>
    /// Fails an item that waited past <see cref="SyncContextOptions.MaxQueueTime"/> without running it: its first step
    /// (<see cref="SyncExecutor.BeginWork"/>) throws the rejection, so its caller gets a 503 as for a full queue.
    /// </summary>
    private void FailWaitedTooLong(QueuedWork item, TimeSpan waited, bool cpuSlot)
    {
        if (cpuSlot)
        {
            _budget.Exit();
        }

        // Reported before the caller learns of it, so that its trace and counts are complete when it does.
        var rejection = _admission.QueueTimeout(waited, _waits.MaxQueueTime, _waits.PredictWait(Waiting, _sizing.ThreadLimit));
        _telemetry.Taken(item, waited, WorkResult.QueueTimeout);
        _executor.ExecuteRejected(item.Task, rejection);
    }

    /// <summary>Completes an item whose request was aborted while it waited, without running it; a cancelled task is complete already.</summary>
    private void FailAbandoned(QueuedWork item)
    {
        if (!item.Task.IsCompleted)
        {
            _executor.ExecuteAbandoned(item.Task, item.Abandon);
        }
    }

    /// <summary>Work that stopped being CPU-bound no longer waits for the budget: its held items go back to the queue.</summary>
    private void RequeueNoLongerCpuBound()
    {
        var released = _budget.TakeReleased(task => _profiles.Of(task).IsCpuBound);
        if (released is null)
        {
            return;
        }

        foreach (var item in released)
        {
            _queue.Enqueue(item); // its place in the admission's count was never given back; its queue time goes on
            Signal();
        }
    }

    /// <summary>Feeds the thread limit once per sample interval, from whichever thread comes first; starts threads when it rose.</summary>
    private void ObserveIfDue()
    {
        var now = Environment.TickCount64;
        if (now < Volatile.Read(ref _nextObservation) || Interlocked.Exchange(ref _observing, 1) != 0)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextObservation, now + ThreadLimitController.SampleInterval);
            var idle = Volatile.Read(ref _idle);
            var backlog = Math.Max(0, Waiting - idle);
            var completed = Volatile.Read(ref _completed); // read first: the wall time may count a few more items, never fewer
            if (_sizing.Observe(now, completed, backlog, Volatile.Read(ref _running), Volatile.Read(ref _completedWallTicks)) && _admission.IsAccepting)
            {
                // The limit rose: start the threads the backlog needs now, not one per item queued from now on.
                var start = Math.Min(backlog, _sizing.ThreadLimit - Volatile.Read(ref _threads));
                for (var i = 0; i < start && TryStartWorker(force: false); i++)
                {
                }
            }
        }
        finally
        {
            Volatile.Write(ref _observing, 0);
        }
    }

    /// <summary>Retires this worker when the thread limit came down below the threads alive, or short work does not need it.</summary>
    private bool TryRetireAfterItem()
    {
        var threads = Volatile.Read(ref _threads);
        if (threads <= _sizing.MinThreads)
        {
            return false;
        }

        // This worker has just finished an item: the pace's last completion is now, with no clock to read.
        var pace = new WorkPace(_waits.MeanRunTime, TimeSpan.Zero, Volatile.Read(ref _running));
        if (_sizing.ShouldRetireAfterItem(threads, Math.Max(0, Waiting - Volatile.Read(ref _idle)), pace)
            && Interlocked.CompareExchange(ref _threads, threads - 1, threads) == threads)
        {
            Log.WorkerRetired(_logger, Thread.CurrentThread.Name, threads - 1);
            return true;
        }

        return false;
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
            // work, and contends with the first on the semaphore's lock when the item arrives. How long it spins
            // follows whether spins catch items (IdleSpinPolicy); none spins while CPU-bound items fill the budget.
            var polls = _spin.SpinFor(cpuBudgetSpent: _budget.RunningCount >= _budget.Policy.Budget);
            if (polls > 0
                && Interlocked.CompareExchange(ref _spinner, SpinnerWaiting, NoSpinner) == NoSpinner
                && Spin(polls) is { } woken)
            {
                return woken;
            }

            while (true)
            {
                if (_work.Wait(_sizing.IdleTimeout))
                {
                    return _admission.IsAbandoning ? Wake.Exit : Wake.Work;
                }

                if (_admission.IsAbandoning)
                {
                    return Wake.Exit;
                }

                // Idle for the whole timeout: retire if the policy allows. The exchange keeps two workers
                // retiring at once from taking the pool below the floor.
                var threads = Volatile.Read(ref _threads);
                if (_sizing.MayRetire(threads, _sizing.IdleTimeout) && Interlocked.CompareExchange(ref _threads, threads - 1, threads) == threads)
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
    /// while it was busy, or shutdown); <see langword="null"/> when the spin runs out and it should park.
    /// </summary>
    /// <remarks>
    /// After its first few polls the spin yields its core every other poll (<see cref="SpinWait.SpinOnce(int)"/>,
    /// never sleeping): on an idle machine a yield returns at once and the spin catches the next item as before, but
    /// under load a thread that is ready to run (Kestrel's, the thread pool's, the request that is about to hand the
    /// next item) gets the core instead of waiting behind the spinner for the end of its time slice. In four paired
    /// rounds a spin that paused without yielding gave S3 63-92 % of ASP.NET Core inline (three rounds below 72 %)
    /// where this one gave 79-83 %, and it took the executor a third more CPU beside blocking work
    /// (benchmarks/RESULTS.md, "The spinner yields").
    /// </remarks>
    private Wake? Spin(int polls)
    {
        var spin = default(SpinWait);
        for (var i = 0; i < polls; i++)
        {
            if (Volatile.Read(ref _spinner) == SpinnerHanded)
            {
                _spin.Caught();
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
                    _spin.Caught();
                    return _admission.IsAbandoning ? Wake.Exit : Wake.Work;
                }

                if (Interlocked.CompareExchange(ref _spinner, SpinnerWaiting, NoSpinner) != NoSpinner)
                {
                    return null; // another worker spins now
                }
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        // A caller may hand over an item up to the moment this worker stands down.
        if (Interlocked.CompareExchange(ref _spinner, NoSpinner, SpinnerWaiting) == SpinnerHanded)
        {
            _spin.Caught();
            return TakeHandedItem();
        }

        _spin.RanOut();
        return null;
    }

    /// <summary>Frees the spinner's place; the handed item is in the queue, like one behind a permit.</summary>
    private Wake TakeHandedItem()
    {
        Volatile.Write(ref _spinner, NoSpinner);
        return _admission.IsAbandoning ? Wake.Exit : Wake.Work;
    }

    private enum Wake
    {
        Work,
        Exit,
        Retire,
    }
}
