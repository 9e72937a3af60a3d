namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>
/// The <c>EndpointRouteBuilderExtensions</c> overloads the generator replaces. Each has its own interceptor
/// signature; the handler's own shape never matters, because the user's delegate is passed through untouched.
/// </summary>
internal enum MapMethod
{
    MapGet,
    MapPost,
    MapPut,
    MapDelete,
    MapPatch,
    MapMethods,
    Map,
    MapFallback,
    MapFallbackWithoutPattern,
}

/// <summary>A synchronous handler mapped with a string pattern: intercepted unless the settings forbid it.</summary>
internal readonly record struct MapCall(MapMethod Method, InterceptSite Site);

/// <summary>What the parser found at one candidate call: a call to intercept, a diagnostic, or neither.</summary>
internal readonly record struct MapCallResult(MapCall? Call, DiagnosticInfo? Diagnostic);
