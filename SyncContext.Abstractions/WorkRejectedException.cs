namespace SyncContext;

/// <summary>Why the executor refused a work item.</summary>
public enum WorkRejectionReason
{
    /// <summary>The executor's queue was at its limit.</summary>
    QueueFull,

    /// <summary>The executor was stopping, or stopped before the work could start.</summary>
    Stopping,
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

    /// <summary>Gets why the work was rejected.</summary>
    public WorkRejectionReason Reason { get; }
}
