using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SyncContext.AspNetCore.Generator.Model;

namespace SyncContext.AspNetCore.Generator.Parsing;

/// <summary>
/// Turns a <c>MapGet</c>/<c>MapPost</c>/... invocation into a <see cref="MapCallResult"/>: a synchronous
/// handler to intercept, a diagnostic saying why one cannot be, or nothing for calls that are not ours or are async.
/// </summary>
internal static class MapCallParser
{
    public const string SynchronousHandler = "synchronous handler";

    private const string DisableOffloadSyncAttribute = "DisableOffloadSyncAttribute";
    private const string RuntimeNamespace = "SyncContext.AspNetCore.Routing";

    /// <summary>
    /// The cheap syntax test run on every node: a call named like one of the overloads, as <c>app.MapGet(...)</c>,
    /// <c>app?.MapGet(...)</c> or <c>EndpointRouteBuilderExtensions.MapGet(app, ...)</c> (one argument more).
    /// </summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken)
        => node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: >= 1 and <= 4 } invocation
        && MethodName(invocation.Expression) is "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "Map" or "MapFallback";

    public static MapCallResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        => Parse((InvocationExpressionSyntax)context.Node, context.SemanticModel, cancellationToken);

    /// <summary>The same, given the semantic model of the invocation's tree (benchmarks/SyncContext.GeneratorCost times it alone).</summary>
    public static MapCallResult? Parse(InvocationExpressionSyntax invocation, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (semanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || !operation.TargetMethod.ContainingType.IsType("EndpointRouteBuilderExtensions", "Microsoft.AspNetCore.Builder"))
        {
            return null;
        }

        // The reduced and the static call form alike: an extension method's receiver is its first argument here.
        IArgumentOperation? handlerArgument = null;
        ITypeSymbol? patternType = null;
        foreach (var argument in operation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "handler" when argument.Parameter.Type.IsType("Delegate", "System"):
                    handlerArgument = argument;
                    break;
                case "pattern":
                    patternType = argument.Parameter.Type;
                    break;
            }
        }

        if (handlerArgument is null)
        {
            // The RequestDelegate overloads: already asynchronous by contract.
            return null;
        }

        var handler = handlerArgument.Value.HandlerMethod(out var handlerType);
        if (handler is not null && (handler.IsAsync || handler.ReturnType.IsTaskOrValueTask()))
        {
            return null;
        }

        if (handler is not null && handler.HasAttribute(DisableOffloadSyncAttribute, RuntimeNamespace))
        {
            // [DisableOffloadSync]: the user keeps this handler on the request thread; the call stays ASP.NET Core's own.
            return null;
        }

        // A handler typed Delegate (a variable, a parameter of a wrapper such as MapLegacy(this IEndpointRouteBuilder,
        // string, Delegate)) is intercepted too: the runtime decides from its method's return type, and maps an
        // asynchronous one exactly as MapGet would.
        var description = handler is null
            ? $"handler of type '{handlerType?.ToDisplayString() ?? "System.Delegate"}' (synchronous or not, known only at run time)"
            : SynchronousHandler;

        var methodName = operation.TargetMethod.Name;
        MapMethod? method = (methodName, patternType) switch
        {
            ("MapGet", _) => MapMethod.MapGet,
            ("MapPost", _) => MapMethod.MapPost,
            ("MapPut", _) => MapMethod.MapPut,
            ("MapDelete", _) => MapMethod.MapDelete,
            ("MapPatch", _) => MapMethod.MapPatch,
            ("MapMethods", _) => MapMethod.MapMethods,
            ("Map", { SpecialType: SpecialType.System_String }) => MapMethod.Map,
            ("MapFallback", null) => MapMethod.MapFallbackWithoutPattern,
            ("MapFallback", _) => MapMethod.MapFallback,
            _ => null,
        };

        var covered = OffloadSyncCoverage.IsCovered(semanticModel, invocation, cancellationToken);
        if (method is null || patternType is { SpecialType: not SpecialType.System_String })
        {
            return covered
                ? null
                : new MapCallResult(null, DiagnosticInfo.Create(DiagnosticDescriptors.RoutePatternNotSupported, LocationInfo.From(invocation.GetLocation()), methodName, description));
        }

        return semanticModel.ToInterceptSite(invocation, cancellationToken) is { } site
            ? new MapCallResult(new MapCall(method.Value, site, description, covered), null)
            : null;
    }

    private static string? MethodName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };
}
