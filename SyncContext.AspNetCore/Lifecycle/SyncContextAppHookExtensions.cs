using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Lifecycle;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// App hooks, Quart's <c>before_first_request</c>, <c>before_serving</c>, <c>after_serving</c> and
/// <c>teardown_appcontext</c>: a synchronous hook runs on the SyncContext executor, an asynchronous one
/// (returning <see cref="Task"/> or <see cref="ValueTask"/>) where it is called; the host awaits them.
/// </summary>
/// <remarks>
/// An app hook's parameters are bound once, when it is added, from the app's services in a scope of its own
/// (<see cref="SyncContext.IAppContext"/>, singletons, scoped services), <c>[FromKeyedServices]</c>, and a
/// <see cref="CancellationToken"/>: the host's token for the phase (its start-up or shutdown timeout), or the
/// app's <c>ApplicationStopping</c> for a before-first-request hook. Request types cannot be bound: no request
/// is being handled.
/// </remarks>
public static class SyncContextAppHookExtensions
{
    /// <summary>
    /// Adds a hook that runs once, when the first request reaches this point of the pipeline; requests that
    /// arrive while it runs wait for it. If it throws, those requests fail with its exception (the error
    /// handlers answer them) and the next request runs it again.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(Cache cache) =&gt; cache.Warm()</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseBeforeFirstRequest(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var gate = new BeforeFirstRequestGate(DelegateBinder.Bind(hook, AppHooks.BeforeFirstRequest, app.ApplicationServices), app.ApplicationServices);
        return app.Use(next => context => gate.InvokeAsync(context, next));
    }

    /// <summary>
    /// Adds a hook that runs as the host starts, before the server accepts any request, after the hooks added
    /// before it. One that throws stops start-up: the host's <c>StartAsync</c> (and <c>app.Run()</c>) throws its exception.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook, for example <c>(Db db) =&gt; db.Migrate()</c>.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, the app has started, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseBeforeServing(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = DelegateBinder.Bind(hook, AppHooks.BeforeServing, app.ApplicationServices);
        app.ApplicationServices.GetRequiredService<AppHooks>().AddBeforeServing(bound);
        return app;
    }

    /// <summary>
    /// Adds a hook that runs as the host stops, once the server has stopped taking requests and finished those
    /// in flight and queued background work has drained, in the order added. What it throws is logged; the
    /// other hooks still run.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, the app has started, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseAfterServing(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = DelegateBinder.Bind(hook, AppHooks.AfterServing, app.ApplicationServices);
        app.ApplicationServices.GetRequiredService<AppHooks>().AddAfterServing(bound);
        return app;
    }

    /// <summary>
    /// Adds a hook that runs last as the host stops, after every after-serving hook, in the order added: the
    /// place to release what the app holds. What it throws is logged; the other hooks still run.
    /// </summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, the app has started, or a parameter cannot be bound.</exception>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static IApplicationBuilder UseTeardownAppContext(this IApplicationBuilder app, Delegate hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        var bound = DelegateBinder.Bind(hook, AppHooks.TeardownAppContext, app.ApplicationServices);
        app.ApplicationServices.GetRequiredService<AppHooks>().AddTeardownAppContext(bound);
        return app;
    }
}
