using System.Security.Claims;

namespace SyncContext;

/// <summary>
/// The current request, as synchronous code needs it, readable without a reference to ASP.NET Core.
/// The counterpart of Quart's <c>request</c>; resolve it from the request's services.
/// </summary>
/// <remarks>
/// Multi-valued headers and query values are joined with a comma, as HTTP allows for headers.
/// Code that needs every value separately can use ASP.NET Core's <c>HttpContext</c>.
/// </remarks>
public interface IRequestContext
{
    /// <summary>Gets the HTTP method, for example <c>GET</c>.</summary>
    string Method { get; }

    /// <summary>Gets the scheme, for example <c>https</c>.</summary>
    string Scheme { get; }

    /// <summary>Gets the host, with its port if one was given.</summary>
    string Host { get; }

    /// <summary>Gets the path base the application is mounted at, or an empty string.</summary>
    string PathBase { get; }

    /// <summary>Gets the path of the request below <see cref="PathBase"/>.</summary>
    string Path { get; }

    /// <summary>Gets the raw query string, with its leading <c>?</c>, or an empty string.</summary>
    string QueryString { get; }

    /// <summary>Gets the identifier of the request in logs and traces.</summary>
    string TraceIdentifier { get; }

    /// <summary>Gets the user the request is authenticated as.</summary>
    ClaimsPrincipal User { get; }

    /// <summary>Gets a token that is cancelled when the client goes away.</summary>
    CancellationToken Aborted { get; }

    /// <summary>Gets the per-request items shared with middleware and handlers.</summary>
    IDictionary<object, object?> Items { get; }

    /// <summary>Gets the request's scoped services.</summary>
    IServiceProvider Services { get; }

    /// <summary>Gets the request headers, case-insensitively.</summary>
    IReadOnlyDictionary<string, string?> Headers { get; }

    /// <summary>Gets the query values, case-insensitively.</summary>
    IReadOnlyDictionary<string, string?> Query { get; }

    /// <summary>Gets the route values of the matched endpoint.</summary>
    IReadOnlyDictionary<string, object?> RouteValues { get; }
}
