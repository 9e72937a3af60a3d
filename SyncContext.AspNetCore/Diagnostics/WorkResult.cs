namespace SyncContext.AspNetCore.Diagnostics;

/// <summary>What became of a work item when a worker took it from the queue.</summary>
internal enum WorkResult
{
    /// <summary>It started running.</summary>
    Started,

    /// <summary>Its token was cancelled while it waited, so it never ran.</summary>
    Canceled,

    /// <summary>It waited longer than the queue time allows and was failed without running.</summary>
    QueueTimeout,
}
