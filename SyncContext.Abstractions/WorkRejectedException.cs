namespace SyncContext;

/// <summary>Why the executor refused a work item.</summary>
public enum WorkRejectionReason
{
    /// <summary>The executor's queue was at its limit.</summary>
    QueueFull,

    /// <summary>The executor was stopping, or stopped before the work could start.</summary>
    Stopping,

    /// <summary>
    /// The work waited in the queue longer than the executor's queue time allows, or would have: its predicted wait
    /// already exceeded that bound when it arrived.
    /// </summary>
    QueueTimeout,
}

/// <summary>
/// Thrown through the task returned by <see cref="IRunSync"/> when the executor refuses a work item.
/// The work did not run. The HTTP layer turns it into <c>503 Service Unavailable</c> with <c>Retry-After</c>.
/// </summary>
public sealed class WorkRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the work was rejected.</param>
    /// <param name="message">The message.</param>
    public WorkRejectedException(WorkRejectionReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception with when a retry could be admitted.</summary>
    /// <param name="reason">Why the work was rejected.</param>
    /// <param name="message">The message.</param>
    /// <param name="retryAfter">How long the caller should wait before it retries.</param>
    public WorkRejectedException(WorkRejectionReason reason, string message, TimeSpan retryAfter)
        : this(reason, message)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets why the work was rejected.</summary>
    public WorkRejectionReason Reason { get; }

    /// <summary>
    /// Gets how long the caller should wait before it retries, or <see langword="null"/> when not known. An executor's
    /// rejection always carries it: that executor's configured <c>RetryAfter</c>, or for
    /// <see cref="WorkRejectionReason.QueueTimeout"/> its predicted drain time when longer. The HTTP layer sends it as
    /// <c>Retry-After</c>, in whole seconds rounded up (the default executor's configured value when it is absent).
    /// </summary>
    public TimeSpan? RetryAfter { get; }
}
