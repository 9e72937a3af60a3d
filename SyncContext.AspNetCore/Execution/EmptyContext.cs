namespace SyncContext.AspNetCore.Execution;

/// <summary>The context a thread started without one runs in: no async-locals at all.</summary>
internal static class EmptyContext
{
    /// <summary>Gets the default execution context, the one a thread started without the caller's captures.</summary>
    public static readonly ExecutionContext Instance = Capture();

    private static ExecutionContext Capture()
    {
        // .NET has no public handle on the default context; a thread started without the caller's has it.
        ExecutionContext? empty = null;
        var thread = new Thread(() => empty = ExecutionContext.Capture()) { IsBackground = true, Name = "SyncContext empty-context probe" };
        thread.UnsafeStart();
        thread.Join();
        return empty ?? throw new InvalidOperationException("No execution context could be captured on a fresh thread.");
    }
}
