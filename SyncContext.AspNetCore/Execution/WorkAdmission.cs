using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Decides, before anything is allocated, whether a work item runs inline, waits in the queue or is
/// rejected. It owns the queue's bound (the places reserved by admitted items not yet taken by a worker)
/// and the executor's lifecycle state, asks <see cref="QueueWaitPolicy"/> whether an arriving item's predicted wait
/// is too long, and reports rejections.
/// </summary>
internal sealed class WorkAdmission
{
    private const int Running = 0;
    private const int Stopping = 1; // no new work; queued work still runs
    private const int Abandoning = 2; // queued work is failed, not run

    private volatile int _queueLimit; // both move when the configuration reloads (SetLimits)
    private volatile int _maxThreads;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly ExecutorTelemetry _telemetry;
    private readonly QueueWaitPolicy _waits;
    private readonly TimeSpan _retryAfter;
    private readonly string _refusalMessage;
    private PredictedMessage? _lastPredictedMessage;

    private long _lastRejectionLog = Environment.TickCount64 - 1000;
    private int _rejectedSinceLog;
    private int _waiting;
    private volatile int _state;
    private volatile bool _shutdownBegun;

    /// <summary>Creates the admission of one executor.</summary>
    /// <param name="queueLimit">The most items that may wait beyond the free workers.</param>
    /// <param name="maxThreads">The most workers.</param>
    /// <param name="name">The executor's name in messages.</param>
    /// <param name="logger">Where rejections are logged.</param>
    /// <param name="telemetry">Where rejections are counted.</param>
    /// <param name="waits">The queue-time policy.</param>
    /// <param name="retryAfter">The executor's <see cref="SyncContextOptions.RetryAfter"/>: every rejection carries it, or a longer predicted wait.</param>
    public WorkAdmission(int queueLimit, int maxThreads, string name, ILogger logger, ExecutorTelemetry telemetry, QueueWaitPolicy waits, TimeSpan retryAfter)
    {
        _queueLimit = queueLimit;
        _maxThreads = maxThreads;
        _name = name;
        _logger = logger;
        _telemetry = telemetry;
        _waits = waits;
        _retryAfter = retryAfter;
        _refusalMessage = $"The SyncContext executor '{name}' rejected the work: its queue is at its limit, or it is stopping. An HTTP request is answered with 503 and Retry-After.";
        Refusal = NewRefusal();
        RefusedTask = Task.FromException(Refusal);
    }

    /// <summary>
    /// Gets the one exception the callers that do not ask why (an offloaded handler, an endpoint run on the executor) fail
    /// with when this executor refuses their work: shared, so that shedding load allocates nothing; it carries this
    /// executor's <see cref="SyncContextOptions.RetryAfter"/>.
    /// </summary>
    /// <remarks>
    /// Wrap it in a faulted task once and hand out that task (<see cref="RefusedTask"/>), or answer it without throwing;
    /// never wrap it in a new faulted task per refusal (use <see cref="NewRefusal"/> there). A faulted task captures its
    /// exception's stack trace as it is then, and awaiting it throws that trace back into the exception with the
    /// awaiter's frames added: a shared exception wrapped anew each time grows by a stack trace per refusal (about 70
    /// characters each in a test), and a server shedding a flood spent its cores copying them, its async endpoints
    /// answering in 200 ms.
    /// </remarks>
    public WorkRejectedException Refusal { get; }

    /// <summary>Gets a task faulted once with <see cref="Refusal"/>, for callers that return a <see cref="Task"/>.</summary>
    public Task RefusedTask { get; }

    /// <summary>A new exception like <see cref="Refusal"/>, for a caller that must wrap it in a faulted task of its own.</summary>
    public WorkRejectedException NewRefusal() => new(WorkRejectionReason.QueueFull, _refusalMessage, _retryAfter);

    /// <summary>Gets the most items that may wait beyond the free workers.</summary>
    public int QueueLimit => _queueLimit;

    /// <summary>Gets the number of admitted items that no worker has taken yet.</summary>
    public int QueueLength => Volatile.Read(ref _waiting);

    /// <summary>Gets whether the host has begun stopping; work that finishes from then on is counted for the shutdown report.</summary>
    public bool ShutdownBegun => _shutdownBegun || _state != Running;

    /// <summary>Marks the start of the host's shutdown; work is still admitted until the executor stops.</summary>
    public void MarkShutdownBegun() => _shutdownBegun = true;

    /// <summary>Gets whether new work is still admitted.</summary>
    public bool IsAccepting => _state == Running;

    /// <summary>Gets whether queued work is being failed instead of run, so workers should exit.</summary>
    public bool IsAbandoning => _state == Abandoning;

    /// <summary>Decides how a work item will run.</summary>
    /// <param name="cancellationToken">The item's token.</param>
    /// <param name="nested">
    /// Whether the caller is one of the executor's own workers, or a flow that descends from executor work:
    /// queued, such an item could wait behind the very item that waits for it.
    /// </param>
    /// <param name="running">How many items the workers are running now.</param>
    /// <param name="threadLimit">How many workers may run now: the threads that drain the queue.</param>
    public Admission Admit(CancellationToken cancellationToken, bool nested, int running, int threadLimit)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // The task is created with the cancelled token, so it is Canceled already and never runs.
            return Admission.Cancelled;
        }

        if (nested)
        {
            // Nested call: running inline cannot deadlock, however busy the workers are.
            return Admission.Inline;
        }

        if (_state != Running)
        {
            return Reject(WorkRejectionReason.Stopping);
        }

        // Items that a free worker (idle, or not started yet) takes at once do not wait, so only the rest
        // count against the limit; otherwise a QueueLimit of 0 would reject all work.
        var free = _maxThreads - running;
        var waiting = Interlocked.Increment(ref _waiting);
        if (waiting > (long)_queueLimit + free)
        {
            Interlocked.Decrement(ref _waiting);
            return Reject(WorkRejectionReason.QueueFull);
        }

        // Its place in the line: the items ahead of it that no worker free now (or startable under the limit) takes.
        if (_waits.IsBounded && _waits.ShouldRefuse(waiting - Math.Max(0, threadLimit - running), threadLimit, out var predicted))
        {
            Interlocked.Decrement(ref _waiting);
            return Reject(WorkRejectionReason.QueueTimeout, predicted);
        }

        return Admission.Queued;
    }

    /// <summary>Moves the queue's bound and the workers counted free, when the configuration reloads.</summary>
    public void SetLimits(int queueLimit, int maxThreads)
    {
        _queueLimit = queueLimit;
        _maxThreads = maxThreads;
    }

    /// <summary>Gives back a place <see cref="Admit"/> reserved: a worker took the item, or it never got queued.</summary>
    public void Release() => Interlocked.Decrement(ref _waiting);

    /// <summary>Stops admitting work; <see langword="false"/> if the executor was already stopping.</summary>
    public bool TryBeginStopping() => Interlocked.CompareExchange(ref _state, Stopping, Running) == Running;

    /// <summary>From now on queued work is failed, not run, and idle workers exit.</summary>
    public void BeginAbandoning() => _state = Abandoning;

    /// <summary>The exception a rejected caller gets.</summary>
    public WorkRejectedException Rejection(Admission admission) => admission.Reason switch
    {
        WorkRejectionReason.QueueFull => new(admission.Reason, $"The SyncContext executor '{_name}' rejected the work: its queue is at its limit of {_queueLimit} items. Raise SyncContextOptions.QueueLimit or MaxThreads, or shed load.", _retryAfter),
        WorkRejectionReason.QueueTimeout => PredictedRejection(admission),
        _ => Stopped($"The SyncContext executor '{_name}' rejected the work: it is stopping."),
    };

    /// <summary>The exception of work refused or abandoned because the executor is stopping, with this executor's <c>Retry-After</c>.</summary>
    public WorkRejectedException Stopped(string message) => new(WorkRejectionReason.Stopping, message, _retryAfter);

    /// <summary>
    /// The exception a caller's task fails with when the predicted wait was too long: a new one each time (see
    /// <see cref="Refusal"/> for why it is never shared), with the message of the last one while the prediction rounds to
    /// the same whole second, so that shedding a flood formats no string.
    /// </summary>
    public WorkRejectedException PredictedRejection(Admission admission)
    {
        var seconds = WholeSeconds(admission.PredictedWait);
        var last = Volatile.Read(ref _lastPredictedMessage);
        if (last is null || last.Seconds != seconds)
        {
            last = new PredictedMessage(seconds, PredictedTooLongMessage(seconds));
            Volatile.Write(ref _lastPredictedMessage, last);
        }

        return new(WorkRejectionReason.QueueTimeout, last.Message, RetryAfterOf(admission.PredictedWait));
    }

    /// <summary>
    /// Counts and logs an item a worker took after it waited longer than <paramref name="maxQueueTime"/>, and returns the
    /// exception it fails with.
    /// </summary>
    public WorkRejectedException QueueTimeout(TimeSpan waited, TimeSpan maxQueueTime, TimeSpan drain)
    {
        Reject(WorkRejectionReason.QueueTimeout);
        return new(
            WorkRejectionReason.QueueTimeout,
            $"The SyncContext executor '{_name}' did not run the work: it waited {waited.TotalMilliseconds:F0} ms in the queue, longer than SyncContextOptions.MaxQueueTime ({maxQueueTime.TotalMilliseconds:F0} ms).",
            RetryAfterOf(drain));
    }

    private static long WholeSeconds(TimeSpan wait) => (long)Math.Ceiling(wait.TotalSeconds);

    private string PredictedTooLongMessage(long seconds)
        => $"The SyncContext executor '{_name}' rejected the work: its predicted wait in the queue, about {seconds} s, exceeds SyncContextOptions.MaxQueueTime ({_waits.MaxQueueTime.TotalMilliseconds:F0} ms).";

    /// <summary>When a refused caller should retry: the predicted drain time, never less than the executor's <c>RetryAfter</c>.</summary>
    private TimeSpan RetryAfterOf(TimeSpan predicted) => predicted > _retryAfter ? predicted : _retryAfter;

    /// <summary>The message of the last predicted-wait rejection, and the whole seconds of the wait it names.</summary>
    private sealed record PredictedMessage(long Seconds, string Message);

    /// <summary>Counts a rejection, and logs at most one warning a second however hard the load sheds.</summary>
    private Admission Reject(WorkRejectionReason reason, TimeSpan predictedWait = default)
    {
        _telemetry.Rejected(reason);
        Interlocked.Increment(ref _rejectedSinceLog);
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastRejectionLog);
        if (now - last >= 1000 && Interlocked.CompareExchange(ref _lastRejectionLog, now, last) == last)
        {
            Log.Rejected(_logger, _name, Interlocked.Exchange(ref _rejectedSinceLog, 0), reason, _queueLimit);
        }

        return new Admission(AdmissionMode.Rejected, reason, predictedWait);
    }
}

/// <summary>How an admitted work item runs.</summary>
internal enum AdmissionMode
{
    /// <summary>Its token is already cancelled: the task is created cancelled and never runs.</summary>
    Cancelled,

    /// <summary>On the calling thread, now.</summary>
    Inline,

    /// <summary>On a worker, after a place in the queue was reserved.</summary>
    Queued,

    /// <summary>Not at all: the caller gets a <see cref="WorkRejectedException"/>.</summary>
    Rejected,
}

/// <summary>The decision <see cref="WorkAdmission.Admit"/> returns.</summary>
/// <param name="Mode">How the item runs.</param>
/// <param name="Reason">Why it was rejected, for <see cref="AdmissionMode.Rejected"/>.</param>
/// <param name="PredictedWait">The wait that made it too late, for <see cref="WorkRejectionReason.QueueTimeout"/>.</param>
internal readonly record struct Admission(AdmissionMode Mode, WorkRejectionReason Reason = default, TimeSpan PredictedWait = default)
{
    public static Admission Cancelled => new(AdmissionMode.Cancelled);

    public static Admission Inline => new(AdmissionMode.Inline);

    public static Admission Queued => new(AdmissionMode.Queued);
}
