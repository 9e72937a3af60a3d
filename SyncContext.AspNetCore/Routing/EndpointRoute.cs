using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// The route template an offloaded endpoint reports as <c>http.route</c> on the executor's instruments, read once per
/// endpoint on the request thread (a worker must not read a request that may already be over).
/// </summary>
internal static class EndpointRoute
{
    /// <summary>The template of the request's endpoint, or <see cref="string.Empty"/> for an endpoint without one.</summary>
    public static string Of(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? string.Empty;

    /// <summary>The tag value for a template read by <see cref="Of"/>: <see langword="null"/> for none, or not read yet.</summary>
    public static string? Tag(string? route) => string.IsNullOrEmpty(route) ? null : route;
}
