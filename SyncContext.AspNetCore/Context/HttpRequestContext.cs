using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace SyncContext.AspNetCore.Context;

/// <summary>The <see cref="IRequestContext"/> of one ASP.NET Core request.</summary>
internal sealed class HttpRequestContext : IRequestContext
{
    private readonly HttpContext _httpContext;
    private StringValuesDictionary? _headers;
    private StringValuesDictionary? _query;

    public HttpRequestContext(HttpContext httpContext) => _httpContext = httpContext;

    public string Method => _httpContext.Request.Method;

    public string Scheme => _httpContext.Request.Scheme;

    public string Host => _httpContext.Request.Host.Value ?? string.Empty;

    public string PathBase => _httpContext.Request.PathBase.Value ?? string.Empty;

    public string Path => _httpContext.Request.Path.Value ?? string.Empty;

    public string QueryString => _httpContext.Request.QueryString.Value ?? string.Empty;

    public string TraceIdentifier => _httpContext.TraceIdentifier;

    public ClaimsPrincipal User => _httpContext.User;

    public CancellationToken Aborted => _httpContext.RequestAborted;

    public IDictionary<object, object?> Items => _httpContext.Items;

    public IServiceProvider Services => _httpContext.RequestServices;

    public IReadOnlyDictionary<string, string?> Headers => _headers ??= new StringValuesDictionary(_httpContext.Request.Headers);

    public IReadOnlyDictionary<string, string?> Query => _query ??= new StringValuesDictionary(_httpContext.Request.Query);

    public IReadOnlyDictionary<string, object?> RouteValues => _httpContext.Request.RouteValues;
}
