using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using SyncContext.AspNetCore.Binding;

namespace SyncContext.AspNetCore.Hooks.WebSockets;

/// <summary>Where WebSocket hooks are attached: one set per app pipeline, one per endpoint, as for request hooks.</summary>
internal static class WebSocketHookRegistry
{
    public static readonly HookSignature Before = new("UseBeforeWebSocket", "before-websocket hook", HookArguments.Request);
    public static readonly HookSignature After = new("UseAfterWebSocket", "after-websocket hook", HookArguments.Request);
    public static readonly HookSignature Teardown = new("UseTeardownWebSocket", "teardown-websocket hook", HookArguments.Request | HookArguments.Exception);

    private static readonly ConditionalWeakTable<IApplicationBuilder, WebSocketHookSet> s_apps = new();
    private static readonly ConditionalWeakTable<EndpointBuilder, WebSocketHookSet> s_endpoints = new();

    /// <summary>The app's set; the first call puts its middleware at this point of the pipeline.</summary>
    public static WebSocketHookSet ForApp(IApplicationBuilder app)
    {
        if (s_apps.TryGetValue(app, out var set))
        {
            return set;
        }

        set = new WebSocketHookSet(app.ApplicationServices);
        s_apps.Add(app, set);
        app.Use(next => context => set.InvokeAsync(context, next));
        return set;
    }

    /// <summary>The endpoint's set; the first call wraps its request delegate.</summary>
    public static WebSocketHookSet ForEndpoint(EndpointBuilder endpoint)
    {
        if (s_endpoints.TryGetValue(endpoint, out var set))
        {
            return set;
        }

        var inner = endpoint.RequestDelegate
            ?? throw new InvalidOperationException($"WebSocket hooks cannot be added to the endpoint '{endpoint.DisplayName}': it has no request delegate to run them around.");
        set = new WebSocketHookSet(endpoint.ApplicationServices);
        s_endpoints.Add(endpoint, set);
        endpoint.RequestDelegate = context => set.InvokeAsync(context, inner);
        return set;
    }
}
