using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// The calls the SyncContext source generator emits in place of <c>MapGet</c>, <c>MapPost</c> and the rest.
/// Not meant to be called by hand: use <c>OffloadSync()</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SyncContextEndpoints
{
    private const string TrimmingWarning = "Binds the handler by reflection, as MapGet does.";

    /// <summary>
    /// Maps <paramref name="handler"/> exactly as <c>MapMethods</c> would, and runs its body on the executor when it
    /// is synchronous (decided from its return type; an asynchronous handler is mapped untouched). ASP.NET Core builds
    /// the same request delegate as without SyncContext, around a wrapper that only moves the body to the executor,
    /// so binding, filters, metadata and the response are unchanged.
    /// </summary>
    /// <param name="endpoints">Where to map the endpoint.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="handler">The user's own handler.</param>
    /// <param name="httpMethods">The HTTP methods, or <see langword="null"/> for any.</param>
    /// <returns>The endpoint's builder.</returns>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints, string pattern, Delegate handler, IEnumerable<string>? httpMethods)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        OffloadChecks.EnsureRegistered(endpoints.ServiceProvider);

        return RouteHandlerServices.Map(endpoints, pattern, handler, httpMethods, RequestDelegateFactory.InferMetadata, CreateOffloaded);
    }

    /// <summary>
    /// Maps a fallback exactly as <c>MapFallback</c> would (the display name <c>Fallback {pattern}</c>, the lowest
    /// precedence), and runs its body on the executor like <see cref="Map"/>.
    /// </summary>
    /// <param name="endpoints">Where to map the endpoint.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="handler">The user's own handler.</param>
    /// <returns>The endpoint's builder.</returns>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static RouteHandlerBuilder MapFallback(IEndpointRouteBuilder endpoints, string pattern, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        OffloadChecks.EnsureRegistered(endpoints.ServiceProvider);

        return RouteHandlerServices.Map(endpoints, pattern, handler, httpMethods: null, InferFallbackMetadata, CreateOffloaded);
    }

    /// <summary>
    /// Maps a fallback for <see cref="FallbackEndpointRouteBuilderExtensions.DefaultPattern"/> (<c>{*path:nonfile}</c>)
    /// exactly as <c>MapFallback(handler)</c> would, and runs its body on the executor.
    /// </summary>
    /// <param name="endpoints">Where to map the endpoint.</param>
    /// <param name="handler">The user's own handler.</param>
    /// <returns>The endpoint's builder.</returns>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static RouteHandlerBuilder MapFallback(IEndpointRouteBuilder endpoints, Delegate handler)
        => MapFallback(endpoints, FallbackEndpointRouteBuilderExtensions.DefaultPattern, handler);

    /// <summary>
    /// Sets what <c>MapFallback</c> sets before any convention runs, so that conventions see and may change it:
    /// the lowest precedence, the display name prefixed with <c>Fallback</c> and ASP.NET Core's fallback marker.
    /// </summary>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static RequestDelegateMetadataResult InferFallbackMetadata(MethodInfo method, RequestDelegateFactoryOptions? options)
    {
        var endpoint = (RouteEndpointBuilder)options!.EndpointBuilder!;
        endpoint.Order = int.MaxValue;
        endpoint.DisplayName = "Fallback " + endpoint.DisplayName; // as MapFallback: its pattern, and " => Method" for method groups
        if (FallbackMarker.Instance is { } marker)
        {
            endpoint.Metadata.Insert(0, marker);
        }

        return RequestDelegateFactory.InferMetadata(method, options);
    }

    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static RequestDelegateResult CreateOffloaded(Delegate handler, RequestDelegateFactoryOptions options, RequestDelegateMetadataResult? metadata)
        => OffloadedRequestDelegate.Create(handler, options, metadata);

    // MapFallback marks its endpoints with an internal FallbackMetadata singleton; the public mapping API cannot
    // add it, so it is read once here. Should a later ASP.NET Core drop it, fallbacks simply go without it. Only the
    // reflection-based mapping above reads it, hence the annotation.
    [RequiresUnreferencedCode(TrimmingWarning)]
    private static class FallbackMarker
    {
        public static readonly object? Instance = typeof(RouteEndpoint).Assembly
            .GetType("Microsoft.AspNetCore.Routing.FallbackMetadata")?
            .GetField("Instance", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?
            .GetValue(null);
    }
}
