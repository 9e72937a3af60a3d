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

/// <summary>
/// A handler mapped with a string pattern that is synchronous, or whose delegate is only known at run time
/// (the runtime then decides from its method's return type): intercepted unless the settings forbid it.
/// </summary>
/// <param name="Method">The overload called.</param>
/// <param name="Site">Where the call is.</param>
/// <param name="Handler">How diagnostics name the handler: "synchronous handler", or the type of one only known at run time.</param>
/// <param name="CoveredByOffloadSync">
/// Whether an <c>.OffloadSync()</c> on the endpoint, or on a group it is mapped on, in the same method offloads
/// it already; a call the generator may not intercept is then not reported.
/// </param>
internal readonly record struct MapCall(MapMethod Method, InterceptSite Site, string Handler, bool CoveredByOffloadSync);

/// <summary>What the parser found at one candidate call: a call to intercept, a diagnostic, or neither.</summary>
internal readonly record struct MapCallResult(MapCall? Call, DiagnosticInfo? Diagnostic);
