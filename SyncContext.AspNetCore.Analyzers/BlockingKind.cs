namespace SyncContext.AspNetCore.Analyzers;

/// <summary>The kinds of blocking call, one diagnostic each.</summary>
internal enum BlockingKind
{
    Sleep,
    SyncOverAsync,
    SyncIo,
    SyncDatabase,
    SyncWait,
}
