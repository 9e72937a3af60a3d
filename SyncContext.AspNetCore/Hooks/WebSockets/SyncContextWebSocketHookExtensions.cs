using System.Diagnostics.CodeAnalysis;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Hooks;
using SyncContext.AspNetCore.Hooks.WebSockets;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// WebSocket hooks, Quart's <c>before_websocket</c>, <c>after_websocket</c> and <c>teardown_websocket</c>: they run
/// for WebSocket requests only (an HTTP/1.1 upgrade to <c>websocket</c> or an HTTP/2 WebSocket CONNECT), where the
/// request hooks do not. A synchronous hook runs on the SyncContext executor with the request's context, an
/// asynchronous one (returning <see cref="Task"/> or <see cref="ValueTask"/>) where it is called.
/// </summary>
/// <remarks>
/// <para>
/// Parameters are bound once, at start-up, as for request hooks (<see cref="SyncContextRequestHookExtensions"/>):
/// <c>HttpContext</c>, <c>HttpRequest</c>, <c>HttpResponse</c>, <c>ClaimsPrincipal</c>,
/// <see cref="SyncContext.IRequestContext"/>, <see cref="SyncContext.IAppContext"/>, <see cref="CancellationToken"/>
/// (the request's <c>RequestAborted</c>), <c>[FromKeyedServices]</c> and services; a teardown hook may also take the
/// exception. A parameter that cannot be bound fails at the call.
/// </para>
/// <para>
/// A WebSocket request lasts as long as its handler: the after hooks run once the handler has returned (the socket
/// is closed, or the upgrade was refused), the teardown hooks after them. The app's hooks (<c>Use...</c>) run where
/// the first of them is added; a route group's or endpoint's (<c>Add...</c>) inside them, around the endpoint.
/// </para>
/// </remarks>
public static class SyncContextWebSocketHookExtensions
{
    /// <summary>
    /// Adds a hook that runs before a WebSocket request's handler, after the hooks added before it. If it returns
    /// something other than <see langword="null"/>, the upgrade is refused with that answer (an <c>IResult</c> is
    /// executed, a string written as <c>text/plain</c>, another object as JSON): later before hooks and the handler do
    /// not run; after and teardown hooks still do. A hook that throws fails the request, as a handler that throws does.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(HttpRequest request) =&gt; request.Query.ContainsKey("token") ? null : Results.StatusCode(403)</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound (the message names it).</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseBeforeWebSocket(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = RequestHookRegistry.Bind(hook, WebSocketHookRegistry.Before, app.ApplicationServices);
        WebSocketHookRegistry.ForApp(app).AddBefore(bound);
        return app;
    }

    /// <summary>
    /// Adds a hook that runs once a WebSocket request's handler has returned, last added first. After an accepted
    /// upgrade the response (the socket) is over, so the hook observes rather than changes it; after a refused one
    /// whose answer has not started, it may still change the status code and headers. It returns nothing; a hook that
    /// throws fails the request. It is not skipped when the client has gone away.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(HttpContext context, ILogger&lt;Chat&gt; log) =&gt; log.LogInformation("closed")</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseAfterWebSocket(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = RequestHookRegistry.Bind(hook, WebSocketHookRegistry.After, app.ApplicationServices);
        WebSocketHookRegistry.ForApp(app).AddAfter(bound);
        return app;
    }

    /// <summary>
    /// Adds a hook that always runs at the end of a WebSocket request, last added first, with the exception that
    /// ended it if there was one (an exception parameter receives it, or <see langword="null"/>). What it throws is
    /// logged, never thrown, and the other teardown hooks still run. What it returns is not used.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(Exception? error, Rooms rooms, HttpContext context) =&gt; rooms.Leave(context.Connection.Id)</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseTeardownWebSocket(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = RequestHookRegistry.Bind(hook, WebSocketHookRegistry.Teardown, app.ApplicationServices);
        WebSocketHookRegistry.ForApp(app).AddTeardown(bound);
        return app;
    }

    /// <summary>Adds a before-websocket hook (see <see cref="UseBeforeWebSocket"/>) to every endpoint of a route group or to one endpoint, run after the app's.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static TBuilder AddBeforeWebSocket<TBuilder>(this TBuilder builder, Delegate hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hook);
        RequestHookRegistry.AddToEndpoints(builder, hook, WebSocketHookRegistry.Before, static (endpoint, bound) => WebSocketHookRegistry.ForEndpoint(endpoint).AddBefore(bound));
        return builder;
    }

    /// <summary>Adds an after-websocket hook (see <see cref="UseAfterWebSocket"/>) to every endpoint of a route group or to one endpoint, run before the app's.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static TBuilder AddAfterWebSocket<TBuilder>(this TBuilder builder, Delegate hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hook);
        RequestHookRegistry.AddToEndpoints(builder, hook, WebSocketHookRegistry.After, static (endpoint, bound) => WebSocketHookRegistry.ForEndpoint(endpoint).AddAfter(bound));
        return builder;
    }

    /// <summary>Adds a teardown-websocket hook (see <see cref="UseTeardownWebSocket"/>) to every endpoint of a route group or to one endpoint, run before the app's.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static TBuilder AddTeardownWebSocket<TBuilder>(this TBuilder builder, Delegate hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hook);
        RequestHookRegistry.AddToEndpoints(builder, hook, WebSocketHookRegistry.Teardown, static (endpoint, bound) => WebSocketHookRegistry.ForEndpoint(endpoint).AddTeardown(bound));
        return builder;
    }
}
