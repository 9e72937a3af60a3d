namespace SyncContext.Tests.Pages;

/// <summary>Where code ran, as the tests read it back: on an executor thread, on the pool, or elsewhere.</summary>
public static class ThreadNames
{
    public static string Of(Thread thread)
        => thread.Name is { } name && name.StartsWith("SyncContext", StringComparison.Ordinal) ? "SyncContext" : thread.IsThreadPoolThread ? "pool" : "other";

    /// <summary>The executor's own name for its thread (<c>SyncContext pages #1</c>), without the number.</summary>
    public static string ExecutorOf(Thread thread)
        => thread.Name is { } name && name.LastIndexOf(" #", StringComparison.Ordinal) is var number and > 0 ? name[..number] : ThreadNames.Of(thread);
}
