using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
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
    /// Maps <paramref name="handler"/> exactly as <c>MapMethods</c> would, and runs its body on the executor.
    /// The offload is attached when the request delegate is built, after every convention, so it always sits
    /// next to the handler whatever filters the endpoint or its groups add.
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
        OffloadFilterFactory.EnsureRegistered(endpoints.ServiceProvider);

        return RouteHandlerServices.Map(endpoints, pattern, handler, httpMethods, RequestDelegateFactory.InferMetadata, CreateOffloaded);
    }

    /// <summary>
    /// Maps a fallback exactly as <c>MapFallback</c> would (the display name <c>Fallback {pattern}</c>, the lowest
    /// precedence), and runs its body on the executor, next to the handler like <see cref="Map"/>.
    /// </summary>
    /// <param name="endpoints">Where to map the endpoint.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="handler">The user's own handler.</param>
    /// <returns>The endpoint's builder.</returns>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static RouteHandlerBuilder MapFallback(IEndpointRouteBuilder endpoints, string pattern, Delegate handler)
    {
        var builder = Map(endpoints, pattern, handler, httpMethods: null);
        builder.WithDisplayName("Fallback " + pattern);
        builder.Add(static endpoint => ((RouteEndpointBuilder)endpoint).Order = int.MaxValue);
        return builder;
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

    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static RequestDelegateResult CreateOffloaded(Delegate handler, RequestDelegateFactoryOptions options, RequestDelegateMetadataResult? metadata)
    {
        // Every group and endpoint convention has run by now: appended here, the offload is the innermost filter.
        OffloadFilterFactory.Attach(options.EndpointBuilder!);
        return RequestDelegateFactory.Create(handler, options, metadata);
    }
}
