using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// Offloads every synchronous minimal-API route handler in an app whose request delegates ASP.NET Core's Request
/// Delegate Generator wrote (a native AOT app), with no code change: when routing has chosen such an endpoint, it
/// puts in its place the same endpoint whose request delegate runs on the executor (<see cref="EndpointOnExecutor"/>).
/// </summary>
/// <remarks>
/// <para>
/// Why at routing and not at the <c>MapGet</c> call: the Request Delegate Generator intercepts that call, and a call can
/// have one interceptor only (CS9153), so the SyncContext generator leaves it alone in such an app. The endpoint that
/// routing hands on keeps the original's metadata, pattern, order and display name; the data source's endpoints
/// (what OpenAPI and <c>EndpointDataSource</c> list) are not changed at all.
/// </para>
/// <para>
/// A handler counts as synchronous when its <see cref="MethodInfo"/> (the metadata ASP.NET Core adds to every route
/// handler endpoint) does not return an awaitable. MVC actions and plain <see cref="RequestDelegate"/> endpoints are
/// left alone. Each endpoint is wrapped once and cached; per request the policy costs one dictionary look-up.
/// </para>
/// </remarks>
internal sealed class AutomaticOffloadPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly IServiceProvider _services;
    private readonly bool _enabled;
    private readonly ConcurrentDictionary<Endpoint, Endpoint> _offloaded = new(); // each endpoint routing saw: its offloaded copy, or itself

    public AutomaticOffloadPolicy(IServiceProvider services)
        : this(services, enabled: !OffloadMode.RebuildsRequestDelegates)
    {
    }

    internal AutomaticOffloadPolicy(IServiceProvider services, bool enabled)
    {
        _services = services;
        _enabled = enabled;
    }

    /// <inheritdoc />
    /// <remarks>After every other policy, so that it replaces only the endpoints that are still candidates.</remarks>
    public override int Order => int.MaxValue;

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!_enabled)
        {
            return false;
        }

        // Called when routing builds its matcher from the endpoints: an executor name no executor has fails here, for
        // every request, rather than at the endpoint's first request.
        var applies = false;
        foreach (var endpoint in endpoints)
        {
            if (IsSynchronousRouteHandler(endpoint))
            {
                applies = true;
                OffloadRuntime.EnsureExecutorExists(_services, endpoint.Metadata, endpoint.DisplayName);
            }
        }

        return applies;
    }

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        for (var i = 0; i < candidates.Count; i++)
        {
            // Decided once per endpoint (its offloaded copy, or itself): a request pays one lookup, not the metadata reads.
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint is RouteEndpoint endpoint
                && _offloaded.GetOrAdd(endpoint, Choose) is var chosen && !ReferenceEquals(chosen, endpoint))
            {
                candidates.ReplaceEndpoint(i, chosen, candidates[i].Values);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A minimal-API route handler whose handler is synchronous, that nothing offloaded yet and that is not kept inline (<see cref="DisableOffloadSyncAttribute"/>).</summary>
    internal static bool IsSynchronousRouteHandler(Endpoint endpoint)
        => endpoint is RouteEndpoint { RequestDelegate: { } requestDelegate } route
           && route.Metadata.GetMetadata<MethodInfo>() is { } method
           && route.Metadata.GetMetadata<ActionDescriptor>() is null
           && !DisableOffloadSyncAttribute.IsIn(route.Metadata)
           && !OffloadChecks.IsAwaitable(method.ReturnType)
           && !EndpointOnExecutor.IsWrapped(requestDelegate);

    private Endpoint Choose(Endpoint endpoint) => IsSynchronousRouteHandler(endpoint) ? Offload(endpoint) : endpoint;

    private RouteEndpoint Offload(Endpoint endpoint)
    {
        var route = (RouteEndpoint)endpoint;
        var runtime = OffloadRuntime.From(_services, route.Metadata, route.DisplayName, route.RoutePattern);
        var offloaded = EndpointOnExecutor.Wrap(route.RequestDelegate!, runtime, route.Metadata);
        return new RouteEndpoint(offloaded, route.RoutePattern, route.Order, route.Metadata, route.DisplayName);
    }
}
