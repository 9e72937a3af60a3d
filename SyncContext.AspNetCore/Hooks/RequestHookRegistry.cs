using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using SyncContext.AspNetCore.Binding;

namespace SyncContext.AspNetCore.Hooks;

/// <summary>Where hooks are bound and attached: one set per app pipeline, one per endpoint.</summary>
internal static class RequestHookRegistry
{
    public static readonly HookSignature Before = new("UseBeforeRequest", "before-request hook", HookArguments.Request);
    public static readonly HookSignature After = new("UseAfterRequest", "after-request hook", HookArguments.Request);
    public static readonly HookSignature Teardown = new("UseTeardownRequest", "teardown-request hook", HookArguments.Request | HookArguments.Exception);

    // Keyed by the builder itself, not app.Properties: a branch (Map, UseWhen) copies the properties but has its own pipeline.
    private static readonly ConditionalWeakTable<IApplicationBuilder, RequestHookSet> s_apps = new();
    private static readonly ConditionalWeakTable<EndpointBuilder, RequestHookSet> s_endpoints = new();

    /// <summary>The app's set; the first call puts its middleware at this point of the pipeline.</summary>
    public static RequestHookSet ForApp(IApplicationBuilder app)
    {
        if (s_apps.TryGetValue(app, out var set))
        {
            return set;
        }

        set = new RequestHookSet(app.ApplicationServices);
        s_apps.Add(app, set);
        app.Use(next => context => set.InvokeAsync(context, next));
        return set;
    }

    /// <summary>The endpoint's set; the first call wraps its request delegate, so error handlers see what hooks throw.</summary>
    public static RequestHookSet ForEndpoint(EndpointBuilder endpoint)
    {
        if (s_endpoints.TryGetValue(endpoint, out var set))
        {
            return set;
        }

        var inner = endpoint.RequestDelegate
            ?? throw new InvalidOperationException($"Request hooks cannot be added to the endpoint '{endpoint.DisplayName}': it has no request delegate to run them around.");
        var services = endpoint.ApplicationServices;
        set = new RequestHookSet(services);
        s_endpoints.Add(endpoint, set);
        endpoint.RequestDelegate = context => set.InvokeAsync(context, inner);
        return set;
    }

    /// <summary>Binds a hook; an after or teardown hook's return value, if any, is not used.</summary>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static BoundHook Bind(Delegate hook, HookSignature signature, IServiceProvider services)
        => DelegateBinder.Bind(hook, signature, services);

    /// <summary>The signature of the <c>Add...</c> method that adds a <c>Use...</c> hook to endpoints, for its messages.</summary>
    public static HookSignature ForEndpoints(HookSignature signature)
        => signature with { Call = signature.Call.Replace("Use", "Add", StringComparison.Ordinal) };

    /// <summary>Adds a hook (request or WebSocket) to every endpoint of <paramref name="builder"/>, bound once with the app's services.</summary>
    [RequiresUnreferencedCode(DelegateBinder.TrimmingWarning)]
    [RequiresDynamicCode(DelegateBinder.TrimmingWarning)]
    public static void AddToEndpoints(IEndpointConventionBuilder builder, Delegate hook, HookSignature signature, Action<EndpointBuilder, BoundHook> add)
    {
        var endpointSignature = ForEndpoints(signature);

        // A route group knows the app's services now, so an unbindable hook fails at this call; otherwise when endpoints are built.
        BoundHook? bound = builder is IEndpointRouteBuilder routes ? Bind(hook, endpointSignature, routes.ServiceProvider) : null;
        var gate = new Lock();
        builder.Add(endpoint =>
        {
            lock (gate)
            {
                bound ??= Bind(hook, endpointSignature, endpoint.ApplicationServices);
            }

            add(endpoint, bound);
        });
    }
}
