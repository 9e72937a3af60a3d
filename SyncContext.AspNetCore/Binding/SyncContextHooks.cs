using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Hooks;
using SyncContext.AspNetCore.Hooks.WebSockets;
using SyncContext.AspNetCore.Lifecycle;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Binding;

/// <summary>
/// The calls the SyncContext source generator emits in place of the hook methods (<c>UseBeforeRequest</c>,
/// <c>UseStatusCodeHandler</c>, <c>UseBeforeServing</c> and the rest): a hook whose parameters the generator bound at
/// compile time, with no reflection, is made into a <see cref="BoundHook"/> by one of the <c>Bind</c> methods, then added
/// exactly as the method it replaces adds a hook bound by reflection. Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SyncContextHooks
{
    /// <summary>A synchronous hook: run on the executor.</summary>
    /// <param name="hook">The user's delegate.</param>
    /// <param name="invoke">Calls <paramref name="hook"/> with its arguments taken from the invocation, and boxes what it returns (<see langword="null"/> for <see langword="void"/>).</param>
    /// <param name="returnsValue">Whether the hook returns something other than <see langword="void"/>.</param>
    /// <param name="requiredServices">The services its parameters require, checked when the hook is added.</param>
    /// <returns>The bound hook.</returns>
    public static BoundHook Bind(Delegate hook, Func<Delegate, HookInvocation, object?> invoke, bool returnsValue, params HookService[] requiredServices)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(invoke);
        return new BoundHook(hook, invoke, isAsync: false, returnsValue, requiredServices);
    }

    /// <summary>A hook returning <see cref="Task"/>: run where it is called.</summary>
    /// <param name="hook">The user's delegate.</param>
    /// <param name="invoke">Calls <paramref name="hook"/> with its arguments taken from the invocation.</param>
    /// <param name="requiredServices">The services its parameters require.</param>
    /// <returns>The bound hook.</returns>
    public static BoundHook BindTask(Delegate hook, Func<Delegate, HookInvocation, Task> invoke, params HookService[] requiredServices)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(invoke);
        return new BoundHook(hook, (handler, invocation) => HookResults.FromTask(invoke(handler, invocation)), isAsync: true, returnsValue: false, requiredServices);
    }

    /// <summary>A hook returning <see cref="Task{TResult}"/>: run where it is called.</summary>
    /// <typeparam name="TResult">What the task yields.</typeparam>
    /// <param name="hook">The user's delegate.</param>
    /// <param name="invoke">Calls <paramref name="hook"/> with its arguments taken from the invocation.</param>
    /// <param name="requiredServices">The services its parameters require.</param>
    /// <returns>The bound hook.</returns>
    public static BoundHook BindTask<TResult>(Delegate hook, Func<Delegate, HookInvocation, Task<TResult>> invoke, params HookService[] requiredServices)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(invoke);
        return new BoundHook(hook, (handler, invocation) => HookResults.FromTaskOf(invoke(handler, invocation)), isAsync: true, returnsValue: true, requiredServices);
    }

    /// <summary>A hook returning <see cref="ValueTask"/>: run where it is called.</summary>
    /// <param name="hook">The user's delegate.</param>
    /// <param name="invoke">Calls <paramref name="hook"/> with its arguments taken from the invocation.</param>
    /// <param name="requiredServices">The services its parameters require.</param>
    /// <returns>The bound hook.</returns>
    public static BoundHook BindValueTask(Delegate hook, Func<Delegate, HookInvocation, ValueTask> invoke, params HookService[] requiredServices)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(invoke);
        return new BoundHook(hook, (handler, invocation) => HookResults.FromValueTask(invoke(handler, invocation)), isAsync: true, returnsValue: false, requiredServices);
    }

    /// <summary>A hook returning <see cref="ValueTask{TResult}"/>: run where it is called.</summary>
    /// <typeparam name="TResult">What the task yields.</typeparam>
    /// <param name="hook">The user's delegate.</param>
    /// <param name="invoke">Calls <paramref name="hook"/> with its arguments taken from the invocation.</param>
    /// <param name="requiredServices">The services its parameters require.</param>
    /// <returns>The bound hook.</returns>
    public static BoundHook BindValueTask<TResult>(Delegate hook, Func<Delegate, HookInvocation, ValueTask<TResult>> invoke, params HookService[] requiredServices)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ArgumentNullException.ThrowIfNull(invoke);
        return new BoundHook(hook, (handler, invocation) => HookResults.FromValueTaskOf(invoke(handler, invocation)), isAsync: true, returnsValue: true, requiredServices);
    }

    /// <summary><c>UseBeforeRequest</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseBeforeRequest(IApplicationBuilder app, BoundHook hook)
    {
        RequestHookRegistry.ForApp(Checked(app, hook, RequestHookRegistry.Before)).AddBefore(hook);
        return app;
    }

    /// <summary><c>UseAfterRequest</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseAfterRequest(IApplicationBuilder app, BoundHook hook)
    {
        RequestHookRegistry.ForApp(Checked(app, hook, RequestHookRegistry.After)).AddAfter(hook);
        return app;
    }

    /// <summary><c>UseTeardownRequest</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseTeardownRequest(IApplicationBuilder app, BoundHook hook)
    {
        RequestHookRegistry.ForApp(Checked(app, hook, RequestHookRegistry.Teardown)).AddTeardown(hook);
        return app;
    }

    /// <summary><c>AddBeforeRequest</c> with a bound hook.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddBeforeRequest<TBuilder>(TBuilder builder, BoundHook hook)
        where TBuilder : IEndpointConventionBuilder
    {
        AddToEndpoints(builder, hook, RequestHookRegistry.Before, static (endpoint, bound) => RequestHookRegistry.ForEndpoint(endpoint).AddBefore(bound));
        return builder;
    }

    /// <summary><c>AddAfterRequest</c> with a bound hook.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddAfterRequest<TBuilder>(TBuilder builder, BoundHook hook)
        where TBuilder : IEndpointConventionBuilder
    {
        AddToEndpoints(builder, hook, RequestHookRegistry.After, static (endpoint, bound) => RequestHookRegistry.ForEndpoint(endpoint).AddAfter(bound));
        return builder;
    }

    /// <summary><c>AddTeardownRequest</c> with a bound hook.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddTeardownRequest<TBuilder>(TBuilder builder, BoundHook hook)
        where TBuilder : IEndpointConventionBuilder
    {
        AddToEndpoints(builder, hook, RequestHookRegistry.Teardown, static (endpoint, bound) => RequestHookRegistry.ForEndpoint(endpoint).AddTeardown(bound));
        return builder;
    }

    /// <summary><c>UseBeforeWebSocket</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseBeforeWebSocket(IApplicationBuilder app, BoundHook hook)
    {
        WebSocketHookRegistry.ForApp(Checked(app, hook, WebSocketHookRegistry.Before)).AddBefore(hook);
        return app;
    }

    /// <summary><c>UseAfterWebSocket</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseAfterWebSocket(IApplicationBuilder app, BoundHook hook)
    {
        WebSocketHookRegistry.ForApp(Checked(app, hook, WebSocketHookRegistry.After)).AddAfter(hook);
        return app;
    }

    /// <summary><c>UseTeardownWebSocket</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseTeardownWebSocket(IApplicationBuilder app, BoundHook hook)
    {
        WebSocketHookRegistry.ForApp(Checked(app, hook, WebSocketHookRegistry.Teardown)).AddTeardown(hook);
        return app;
    }

    /// <summary><c>AddBeforeWebSocket</c> with a bound hook.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddBeforeWebSocket<TBuilder>(TBuilder builder, BoundHook hook)
        where TBuilder : IEndpointConventionBuilder
    {
        AddToEndpoints(builder, hook, WebSocketHookRegistry.Before, static (endpoint, bound) => WebSocketHookRegistry.ForEndpoint(endpoint).AddBefore(bound));
        return builder;
    }

    /// <summary><c>AddAfterWebSocket</c> with a bound hook.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddAfterWebSocket<TBuilder>(TBuilder builder, BoundHook hook)
        where TBuilder : IEndpointConventionBuilder
    {
        AddToEndpoints(builder, hook, WebSocketHookRegistry.After, static (endpoint, bound) => WebSocketHookRegistry.ForEndpoint(endpoint).AddAfter(bound));
        return builder;
    }

    /// <summary><c>AddTeardownWebSocket</c> with a bound hook.</summary>
    /// <typeparam name="TBuilder">The endpoint or route group builder.</typeparam>
    /// <param name="builder">The endpoint or route group.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The builder.</returns>
    public static TBuilder AddTeardownWebSocket<TBuilder>(TBuilder builder, BoundHook hook)
        where TBuilder : IEndpointConventionBuilder
    {
        AddToEndpoints(builder, hook, WebSocketHookRegistry.Teardown, static (endpoint, bound) => WebSocketHookRegistry.ForEndpoint(endpoint).AddTeardown(bound));
        return builder;
    }

    /// <summary><c>UseStatusCodeHandler(statusCode, handler)</c> with a bound handler.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="statusCode">The status code, from 400 to 599.</param>
    /// <param name="handler">The bound handler.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseStatusCodeHandler(IApplicationBuilder app, int statusCode, BoundHook handler)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        StatusCodeHandlerSet.ForApp(Checked(app, handler, StatusCodeHandlerSet.Signature)).Add(statusCode, handler);
        return app;
    }

    /// <summary><c>UseStatusCodeHandler(handler)</c>, the catch-all, with a bound handler.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="handler">The bound handler.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseStatusCodeHandler(IApplicationBuilder app, BoundHook handler)
    {
        StatusCodeHandlerSet.ForApp(Checked(app, handler, StatusCodeHandlerSet.Signature)).Add(statusCode: null, handler);
        return app;
    }

    /// <summary><c>UseBeforeFirstRequest</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseBeforeFirstRequest(IApplicationBuilder app, BoundHook hook)
    {
        var gate = new BeforeFirstRequestGate(hook, Checked(app, hook, AppHooks.BeforeFirstRequest).ApplicationServices);
        return app.Use(next => context => gate.InvokeAsync(context, next));
    }

    /// <summary><c>UseBeforeServing</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseBeforeServing(IApplicationBuilder app, BoundHook hook)
    {
        Checked(app, hook, AppHooks.BeforeServing).ApplicationServices.GetRequiredService<AppHooks>().AddBeforeServing(hook);
        return app;
    }

    /// <summary><c>UseAfterServing</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseAfterServing(IApplicationBuilder app, BoundHook hook)
    {
        Checked(app, hook, AppHooks.AfterServing).ApplicationServices.GetRequiredService<AppHooks>().AddAfterServing(hook);
        return app;
    }

    /// <summary><c>UseTeardownAppContext</c> with a bound hook.</summary>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="hook">The bound hook.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseTeardownAppContext(IApplicationBuilder app, BoundHook hook)
    {
        Checked(app, hook, AppHooks.TeardownAppContext).ApplicationServices.GetRequiredService<AppHooks>().AddTeardownAppContext(hook);
        return app;
    }

    /// <summary>What the reflection binder checks at the call: SyncContext is registered, and every required service is.</summary>
    internal static void EnsureBindable(BoundHook hook, HookSignature signature, IServiceProvider services)
    {
        OffloadChecks.EnsureRegistered(services);
        if (hook.RequiredServices.Length == 0 || services.GetService<IServiceProviderIsService>() is not { } isService)
        {
            return;
        }

        foreach (var required in hook.RequiredServices)
        {
            if (!isService.IsService(required.Type))
            {
                throw new InvalidOperationException(
                    $"{signature.Call} cannot bind the {signature.Role}'s parameter '{required.ParameterName}' of type {DelegateBinder.Display(required.Type)}: " +
                    $"it is not {signature.BindableNames()}, and no service of that type is registered. Register the service, or make the parameter nullable or give it a default value.");
            }
        }
    }

    private static IApplicationBuilder Checked(IApplicationBuilder app, BoundHook hook, HookSignature signature)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hook);
        EnsureBindable(hook, signature, app.ApplicationServices);
        return app;
    }

    private static void AddToEndpoints(IEndpointConventionBuilder builder, BoundHook hook, HookSignature signature, Action<EndpointBuilder, BoundHook> add)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(hook);
        var endpointSignature = RequestHookRegistry.ForEndpoints(signature);

        // As for a hook bound by reflection: a route group knows the app's services now, an endpoint when it is built.
        var checkedOnce = false;
        if (builder is IEndpointRouteBuilder routes)
        {
            EnsureBindable(hook, endpointSignature, routes.ServiceProvider);
            checkedOnce = true;
        }

        var gate = new Lock();
        builder.Add(endpoint =>
        {
            lock (gate)
            {
                if (!checkedOnce)
                {
                    EnsureBindable(hook, endpointSignature, endpoint.ApplicationServices);
                    checkedOnce = true;
                }
            }

            add(endpoint, hook);
        });
    }
}
