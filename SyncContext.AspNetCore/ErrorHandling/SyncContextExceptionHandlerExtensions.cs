using System.Diagnostics.CodeAnalysis;
using SyncContext.AspNetCore.ErrorHandling;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Synchronous error handlers, run on the SyncContext executor: the counterpart of Quart's <c>@app.errorhandler</c>.</summary>
public static class SyncContextExceptionHandlerExtensions
{
    /// <summary>
    /// Adds a middleware that answers exceptions thrown further in the pipeline with a synchronous
    /// <paramref name="handler"/>, run on the SyncContext executor with the failed request's context
    /// (<c>IHttpContextAccessor</c>, <c>Activity.Current</c>, async-locals). Place it where ASP.NET Core's
    /// <c>UseExceptionHandler</c> would go; several may be stacked, one per exception type.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The handler's parameters are bound per request: an exception parameter (its declared type selects
    /// the exceptions handled, derived types included; without one, every exception is),
    /// <see cref="Http.HttpContext"/>, <see cref="SyncContext.IRequestContext"/>,
    /// <see cref="SyncContext.IAppContext"/>, <see cref="CancellationToken"/> (the request's
    /// <c>RequestAborted</c>), and any other type from the request's services, required unless the parameter
    /// is nullable or has a default value.
    /// </para>
    /// <para>
    /// When a matching exception arrives before the response has started, the middleware logs it as ASP.NET
    /// Core's exception handler does, clears the response, sets status 500 and no-cache headers, exposes
    /// <c>IExceptionHandlerFeature</c> and <c>IExceptionHandlerPathFeature</c>, runs the handler, and writes
    /// its return value as a minimal-API endpoint would: an <see cref="Http.IResult"/> is executed, a string
    /// is written as <c>text/plain</c>, any other object as JSON, and nothing more for a <see langword="void"/>
    /// handler. Other exceptions, and any exception once the response has started, pass on unchanged. If the
    /// handler throws, that is logged and the original exception passes on. If the executor's queue is full,
    /// the answer is <c>503 Service Unavailable</c> with <c>Retry-After</c>.
    /// </para>
    /// </remarks>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="handler">The synchronous error handler, for example <c>(NotFoundException ex) =&gt; Results.NotFound(ex.Message)</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">
    /// SyncContext is not registered (call <c>AddSyncContext()</c>); the handler is asynchronous; or one of its
    /// parameters cannot be bound (the message names it).
    /// </exception>
    [RequiresUnreferencedCode(ExceptionHandlerBinder.TrimmingWarning)]
    [RequiresDynamicCode(ExceptionHandlerBinder.TrimmingWarning)]
    public static IApplicationBuilder UseExceptionHandler(this IApplicationBuilder app, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(handler);
        return ExceptionHandlerBinder.Use(app, handler);
    }
}
