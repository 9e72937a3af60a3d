using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Analyzers.Scopes;

/// <summary>
/// Which request code a blocking call runs in. <see cref="Declaration"/> is the lambda or local function that is the
/// scope (null for a method). <see cref="MethodCandidate"/> is set when the scope is a handler only if that method is
/// passed to a Map call somewhere in the compilation.
/// </summary>
internal readonly struct RequestScope(ScopeKind kind, IOperation? declaration, IMethodSymbol? methodCandidate)
{
    public static RequestScope None => default;

    public ScopeKind Kind { get; } = kind;

    public IOperation? Declaration { get; } = declaration;

    public IMethodSymbol? MethodCandidate { get; } = methodCandidate;
}
