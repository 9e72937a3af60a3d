using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Routing;

/// <summary>How a test app maps its sync endpoints: plainly, or through one of the ways SyncContext offloads them.</summary>
public enum OffloadMode
{
    /// <summary>ASP.NET Core's own mapping, no offload: the reference.</summary>
    None,

    /// <summary><c>OffloadSync()</c> on each endpoint.</summary>
    Endpoint,

    /// <summary><c>OffloadSync()</c> on a route group holding the endpoints.</summary>
    Group,

    /// <summary>The generator's entry point, <see cref="SyncContextEndpoints.Map"/>.</summary>
    Generated,
}

/// <summary>Maps endpoints in one <see cref="OffloadMode"/>, so one app body serves every mode.</summary>
internal sealed class OffloadMapper
{
    private readonly IEndpointRouteBuilder _routes;
    private readonly OffloadMode _mode;

    public OffloadMapper(IEndpointRouteBuilder app, OffloadMode mode)
    {
        _mode = mode;
        _routes = mode == OffloadMode.Group ? app.MapGroup("").OffloadSync() : app;
    }

    public RouteHandlerBuilder Map(string? method, string pattern, Delegate handler)
    {
        string[]? methods = method is null ? null : [method];
        if (_mode == OffloadMode.Generated)
        {
            return SyncContextEndpoints.Map(_routes, pattern, handler, methods);
        }

        var endpoint = methods is null ? _routes.Map(pattern, handler) : _routes.MapMethods(pattern, methods, handler);
        return _mode == OffloadMode.Endpoint ? endpoint.OffloadSync() : endpoint;
    }

    public RouteHandlerBuilder MapGet(string pattern, Delegate handler) => Map("GET", pattern, handler);

    public RouteHandlerBuilder MapPost(string pattern, Delegate handler) => Map("POST", pattern, handler);
}
