using System.ComponentModel;
using Microsoft.AspNetCore.Http;

namespace SyncContext.AspNetCore.Binding;

/// <summary>
/// What one call of a bound delegate is given: the request (absent outside one), the services its parameters
/// are resolved from, the token a <see cref="CancellationToken"/> parameter receives, and what the hook is about.
/// Public only for the binders the SyncContext generator emits (<see cref="SyncContextHooks"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HookInvocation
{
    internal HookInvocation(HttpContext? httpContext, IServiceProvider services, CancellationToken cancellation)
    {
        HttpContext = httpContext;
        Services = services;
        Cancellation = cancellation;
    }

    /// <summary>Creates the invocation for a request: its services and its <c>RequestAborted</c> token.</summary>
    internal static HookInvocation ForRequest(HttpContext context, Exception? exception = null)
        => new(context, context.RequestServices, context.RequestAborted) { Exception = exception };

    /// <summary>Gets the request, or <see langword="null"/> for a hook that runs outside one (an app hook).</summary>
    public HttpContext? HttpContext { get; }

    /// <summary>Gets the services the hook's parameters are resolved from: the request's, or an app hook's own scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Gets the token a <see cref="CancellationToken"/> parameter receives.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Gets the exception the hook is about, if any (error handlers, teardown hooks).</summary>
    public Exception? Exception { get; internal init; }

    /// <summary>Gets the status code the hook is about (status-code handlers).</summary>
    public int StatusCode { get; internal init; }
}
