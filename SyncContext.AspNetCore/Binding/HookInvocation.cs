using Microsoft.AspNetCore.Http;

namespace SyncContext.AspNetCore.Binding;

/// <summary>
/// What one call of a bound delegate is given: the request (absent outside one), the services its parameters
/// are resolved from, the token a <see cref="CancellationToken"/> parameter receives, and what the hook is about.
/// </summary>
internal sealed class HookInvocation
{
    public HookInvocation(HttpContext? httpContext, IServiceProvider services, CancellationToken cancellation)
    {
        HttpContext = httpContext;
        Services = services;
        Cancellation = cancellation;
    }

    /// <summary>Creates the invocation for a request: its services and its <c>RequestAborted</c> token.</summary>
    public static HookInvocation ForRequest(HttpContext context, Exception? exception = null)
        => new(context, context.RequestServices, context.RequestAborted) { Exception = exception };

    public HttpContext? HttpContext { get; }

    public IServiceProvider Services { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>The exception the hook is about, if any (error handlers, teardown hooks).</summary>
    public Exception? Exception { get; init; }

    /// <summary>The status code the hook is about (status-code handlers).</summary>
    public int StatusCode { get; init; }
}
