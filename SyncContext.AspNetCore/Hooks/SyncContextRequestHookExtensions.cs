using System.Diagnostics.CodeAnalysis;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Hooks;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Request hooks, Quart's <c>before_request</c>, <c>after_request</c> and <c>teardown_request</c>: a synchronous
/// hook runs on the SyncContext executor with the request's context, an asynchronous one (returning
/// <see cref="Task"/> or <see cref="ValueTask"/>) where it is called.
/// </summary>
/// <remarks>
/// <para>
/// A hook's parameters are bound once, at start-up, as a minimal-API handler's are: <c>HttpContext</c>,
/// <c>HttpRequest</c>, <c>HttpResponse</c>, <c>ClaimsPrincipal</c>, <see cref="SyncContext.IRequestContext"/>,
/// <see cref="SyncContext.IAppContext"/>, <see cref="CancellationToken"/> (the request's <c>RequestAborted</c>),
/// <c>[FromKeyedServices]</c> and any other type from the request's services (required unless nullable or
/// defaulted); a teardown hook may also take the exception. A parameter that cannot be bound fails at the call.
/// </para>
/// <para>
/// The app's hooks (<c>Use...</c>) form one set, run by one middleware placed where the first of them is
/// added. A route group's or endpoint's hooks (<c>Add...</c>, Quart's blueprint hooks) run inside the app's,
/// around the endpoint, once it has been selected; an outer group's before an inner group's.
/// </para>
/// <para>
/// As in Quart, request hooks do not run for WebSocket requests (an HTTP/1.1 upgrade to <c>websocket</c> or an
/// HTTP/2 WebSocket CONNECT): those run the WebSocket hooks instead (<see cref="SyncContextWebSocketHookExtensions"/>).
/// A check that must cover both, such as authentication, is added to both.
/// </para>
/// </remarks>
public static class SyncContextRequestHookExtensions
{
    /// <summary>
    /// Adds a hook that runs before the request's endpoint, after the hooks added before it. If it returns
    /// something other than <see langword="null"/>, the request is answered with that (an <c>IResult</c> is
    /// executed, a string written as <c>text/plain</c>, another object as JSON), and later before hooks and the
    /// endpoint do not run; after and teardown hooks still do. A hook that throws fails the request, as a
    /// handler that throws does: the exception goes to the error handlers.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(HttpRequest request) =&gt; request.Headers.ContainsKey("X-Key") ? null : Results.Unauthorized()</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound (the message names it).</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseBeforeRequest(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = RequestHookRegistry.Bind(hook, RequestHookRegistry.Before, app.ApplicationServices);
        RequestHookRegistry.ForApp(app).AddBefore(bound);
        return app;
    }

    /// <summary>
    /// Adds a hook that runs once the request has been answered but before the response starts, last added
    /// first, so it may still change the status code and headers. For a response with a body it runs when the
    /// body's first bytes are about to be sent (for a streamed response, before the stream begins, so it sees
    /// the headers but not the body); for one without, when the endpoint returns. It returns nothing; a hook
    /// that throws fails the request (while the response has not started, the error handlers answer it).
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(HttpResponse response) =&gt; response.Headers["X-Frame-Options"] = "DENY"</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseAfterRequest(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = RequestHookRegistry.Bind(hook, RequestHookRegistry.After, app.ApplicationServices);
        RequestHookRegistry.ForApp(app).AddAfter(bound);
        return app;
    }

    /// <summary>
    /// Adds a hook that always runs after the response has completed or failed, last added first, with the
    /// exception that left the hooks' place in the pipeline if there was one (an exception parameter receives
    /// it, or <see langword="null"/>). What it throws is logged, never thrown, and the other teardown hooks
    /// still run. It is not cancelled when the client goes away, and what it returns is not used.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(Exception? error, Db db) =&gt; db.Release(error)</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseTeardownRequest(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = RequestHookRegistry.Bind(hook, RequestHookRegistry.Teardown, app.ApplicationServices);
        RequestHookRegistry.ForApp(app).AddTeardown(bound);
        return app;
    }

    /// <summary>
    /// Adds a before-request hook (see <see cref="UseBeforeRequest"/>) to every endpoint of a route group or
    /// to one endpoint, run after the app's before hooks, once the endpoint has been selected.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static TBuilder AddBeforeRequest<TBuilder>(this TBuilder builder, Delegate hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hook);
        RequestHookRegistry.AddToEndpoints(builder, hook, RequestHookRegistry.Before, static (endpoint, bound) => RequestHookRegistry.ForEndpoint(endpoint).AddBefore(bound));
        return builder;
    }

    /// <summary>
    /// Adds an after-request hook (see <see cref="UseAfterRequest"/>) to every endpoint of a route group or to
    /// one endpoint, run before the app's after hooks.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static TBuilder AddAfterRequest<TBuilder>(this TBuilder builder, Delegate hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hook);
        RequestHookRegistry.AddToEndpoints(builder, hook, RequestHookRegistry.After, static (endpoint, bound) => RequestHookRegistry.ForEndpoint(endpoint).AddAfter(bound));
        return builder;
    }

    /// <summary>
    /// Adds a teardown-request hook (see <see cref="UseTeardownRequest"/>) to every endpoint of a route group
    /// or to one endpoint, run before the app's teardown hooks.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static TBuilder AddTeardownRequest<TBuilder>(this TBuilder builder, Delegate hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hook);
        RequestHookRegistry.AddToEndpoints(builder, hook, RequestHookRegistry.Teardown, static (endpoint, bound) => RequestHookRegistry.ForEndpoint(endpoint).AddTeardown(bound));
        return builder;
    }
}
