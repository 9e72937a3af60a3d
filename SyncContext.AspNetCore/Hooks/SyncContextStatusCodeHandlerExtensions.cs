using System.Diagnostics.CodeAnalysis;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Hooks;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Status-code handlers, Quart's <c>@app.errorhandler(404)</c>: a synchronous handler runs on the SyncContext
/// executor with the request's context, an asynchronous one where it is called.
/// </summary>
/// <remarks>
/// A handler answers a response that ends with its status code and no body, exactly when ASP.NET Core's
/// <c>UseStatusCodePages</c> would: the response has not started, has no <c>Content-Length</c> or
/// <c>Content-Type</c>, its status is 400-599, and neither <c>IStatusCodePagesFeature.Enabled = false</c> nor
/// <c>[SkipStatusCodePages]</c> opted out. Its parameters are bound as a request hook's are, plus an
/// <see cref="int"/> or <see cref="System.Net.HttpStatusCode"/> parameter for the status code. What it returns is
/// written as a minimal-API endpoint writes it; a <see langword="void"/> handler writes the response itself.
/// The status code stays unless the result sets another. All handlers of an app form one set, run by one
/// middleware placed where the first is added.
/// </remarks>
public static class SyncContextStatusCodeHandlerExtensions
{
    /// <summary>Adds the handler for responses that end with <paramref name="statusCode"/> and no body.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="statusCode">The status code, from 400 to 599.</param>
    /// <param name="handler">The handler, for example <c>(HttpRequest request) =&gt; $"No page at {request.Path}"</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not from 400 to 599.</exception>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, a handler for the code is already added, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseStatusCodeHandler(this IApplicationBuilder app, int statusCode, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        var bound = DelegateBinder.Bind(handler, StatusCodeHandlerSet.Signature, app.ApplicationServices);
        StatusCodeHandlerSet.ForApp(app).Add(statusCode, bound);
        return app;
    }

    /// <summary>Adds the handler for responses that end with any status code from 400 to 599 and no body, unless a handler for that code was added.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="handler">The handler, for example <c>(int statusCode) =&gt; Results.Problem(statusCode: statusCode)</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, a catch-all is already added, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseStatusCodeHandler(this IApplicationBuilder app, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(handler);
        var bound = DelegateBinder.Bind(handler, StatusCodeHandlerSet.Signature, app.ApplicationServices);
        StatusCodeHandlerSet.ForApp(app).Add(statusCode: null, bound);
        return app;
    }
}
