namespace SyncContext.AspNetCore.Diagnostics;

/// <summary>The names of the executor's activities, for a tracer to listen to (<c>AddSource(SyncContextActivity.SourceName)</c>).</summary>
public static class SyncContextActivity
{
    /// <summary>The name of the activity source.</summary>
    public const string SourceName = "SyncContext";

    /// <summary>
    /// The name of the activity that covers a work item's wait in the executor's queue: from when it was queued to
    /// when a worker took it, a child of the activity current where it was queued (the request's).
    /// </summary>
    public const string QueueActivityName = "SyncContext.Queue";
}
