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
    /// <summary>The cheap syntax test run on every node: a member call named like one of the overloads.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken)
        => node is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name },
            ArgumentList.Arguments.Count: >= 1 and <= 3,
        }
        && name is "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "Map" or "MapFallback";

    public static MapCallResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || !operation.TargetMethod.ContainingType.IsType("EndpointRouteBuilderExtensions", "Microsoft.AspNetCore.Builder")
            || !IsReducedExtensionCall(context.SemanticModel, invocation, cancellationToken))
        {
            return null;
        }

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

        var methodName = operation.TargetMethod.Name;
        var location = LocationInfo.From(invocation.GetLocation());
        var handler = handlerArgument.Value.HandlerMethod(out var handlerType);
        if (handler is null)
        {
            return new MapCallResult(null, DiagnosticInfo.Create(
                DiagnosticDescriptors.UnknownHandlerShape,
                location,
                methodName,
                handlerType?.ToDisplayString() ?? "Delegate"));
        }

        if (handler.IsAsync || handler.ReturnType.IsAwaitable())
        {
            return null;
        }

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

        if (method is null || patternType is { SpecialType: not SpecialType.System_String })
        {
            return new MapCallResult(null, DiagnosticInfo.Create(DiagnosticDescriptors.RoutePatternNotSupported, location, methodName));
        }

        return context.SemanticModel.ToInterceptSite(invocation, cancellationToken) is { } site
            ? new MapCallResult(new MapCall(method.Value, site), null)
            : null;
    }

    /// <summary>
    /// <c>app.MapGet(...)</c>, not <c>EndpointRouteBuilderExtensions.MapGet(app, ...)</c>: the interceptors are
    /// extension methods, which intercept the reduced form only.
    /// </summary>
    private static bool IsReducedExtensionCall(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { ReducedFrom: not null };
}
