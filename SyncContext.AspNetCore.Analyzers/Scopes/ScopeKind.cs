namespace SyncContext.AspNetCore.Analyzers.Scopes;

/// <summary>Where a blocking call runs, as far as the thread pool is concerned.</summary>
internal enum ScopeKind
{
    /// <summary>Not request code the analyzer knows of, or code SyncContext offloads: no warning.</summary>
    None,

    /// <summary>An endpoint handler declared <c>async</c>.</summary>
    AsyncHandler,

    /// <summary>An endpoint handler that is not <c>async</c> but returns a task: it runs inline up to its return.</summary>
    TaskReturningHandler,

    /// <summary>A middleware delegate or class.</summary>
    Middleware,

    /// <summary>An endpoint filter delegate or class.</summary>
    EndpointFilter,
}
