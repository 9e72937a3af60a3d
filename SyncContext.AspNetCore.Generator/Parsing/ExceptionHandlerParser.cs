using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SyncContext.AspNetCore.Generator.Model;

namespace SyncContext.AspNetCore.Generator.Parsing;

/// <summary>
/// Turns an <c>app.UseExceptionHandler(Delegate)</c> call into an <see cref="ExceptionHandlerResult"/>: the shape
/// the binder needs, or a diagnostic saying why the runtime's reflection fallback binds it instead.
/// </summary>
internal static class ExceptionHandlerParser
{
    public const string RuntimeTypeName = "SyncContext.AspNetCore.ErrorHandling.SyncContextExceptionHandlers";

    /// <summary><c>app.UseExceptionHandler(handler)</c>, or its static form with the app as first argument.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken)
        => node is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "UseExceptionHandler" },
            ArgumentList.Arguments.Count: 1 or 2,
        };

    public static ExceptionHandlerResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        => Parse((InvocationExpressionSyntax)context.Node, context.SemanticModel, cancellationToken);

    /// <summary>The same, for the suppressor, which has a semantic model but no generator context.</summary>
    public static ExceptionHandlerResult? Parse(InvocationExpressionSyntax invocation, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (semanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation
            {
                TargetMethod: { IsExtensionMethod: true, Parameters.Length: 2 } target,
                Arguments.Length: 2,
            } operation
            || !target.ContainingNamespace.IsNamespace("Microsoft.AspNetCore.Builder")
            || !target.Parameters[0].Type.IsType("IApplicationBuilder", "Microsoft.AspNetCore.Builder")
            || !target.Parameters[1].Type.IsType("Delegate", "System")
            || semanticModel.Compilation.GetTypeByMetadataName(RuntimeTypeName) is null)
        {
            return null;
        }

        var location = LocationInfo.From(invocation.GetLocation());
        var handler = operation.Arguments[1].Value.HandlerMethod(out var delegateType);
        if (handler is null || delegateType is not INamedTypeSymbol { TypeKind: TypeKind.Delegate } namedDelegate)
        {
            return Fallback(location, $"it is an expression of type '{delegateType?.ToDisplayString() ?? "Delegate"}', whose parameters are unknown at compile time.");
        }

        if (handler.IsAsync || handler.ReturnType.IsAwaitable())
        {
            // Not a synchronous handler: nothing to offload.
            return null;
        }

        if (namedDelegate.IsAnonymousType)
        {
            return Fallback(location, "its delegate type has no name (a parameter has a default value, params or a ref modifier).");
        }

        var invoke = namedDelegate.DelegateInvokeMethod!;
        if (invoke.ReturnsByRef || invoke.ReturnsByRefReadonly)
        {
            return Fallback(location, "it returns by reference.");
        }

        var parameters = ImmutableArray.CreateBuilder<BinderParameter>(invoke.Parameters.Length);
        string? exceptionType = null;
        for (var i = 0; i < invoke.Parameters.Length; i++)
        {
            // The delegate type gives the types; the handler itself gives the names people wrote.
            var parameter = i < handler.Parameters.Length ? handler.Parameters[i] : invoke.Parameters[i];
            var type = invoke.Parameters[i].Type;
            if (invoke.Parameters[i].RefKind != RefKind.None)
            {
                return Fallback(location, $"parameter '{parameter.Name}' is passed by reference.");
            }

            if (type.DerivesFromException())
            {
                if (exceptionType is not null)
                {
                    return Fallback(location, $"it has more than one exception parameter ('{parameter.Name}' is the second).");
                }

                exceptionType = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolExtensions.TypeFormat);
                parameters.Add(new BinderParameter(BinderSource.Exception, exceptionType));
            }
            else if (type.IsType("HttpContext", "Microsoft.AspNetCore.Http"))
            {
                parameters.Add(new BinderParameter(BinderSource.HttpContext, type.ToDisplayString(SymbolExtensions.TypeFormat)));
            }
            else if (type.IsType("CancellationToken", "System.Threading"))
            {
                parameters.Add(new BinderParameter(BinderSource.CancellationToken, type.ToDisplayString(SymbolExtensions.TypeFormat)));
            }
            else if (type.IsValueType)
            {
                return Fallback(location, $"parameter '{parameter.Name}' of type '{type.ToDisplayString()}' is neither the exception, HttpContext, CancellationToken nor a service.");
            }
            else
            {
                var optional = type.NullableAnnotation == NullableAnnotation.Annotated;
                var serviceType = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolExtensions.TypeFormat);
                parameters.Add(new BinderParameter(optional ? BinderSource.OptionalService : BinderSource.RequiredService, serviceType));
            }
        }

        var shape = new ExceptionHandlerShape(
            namedDelegate.ToDisplayString(SymbolExtensions.TypeFormat),
            exceptionType ?? "global::System.Exception",
            new EquatableArray<BinderParameter>(parameters.MoveToImmutable()),
            invoke.ReturnsVoid);

        return semanticModel.ToInterceptSite(invocation, cancellationToken) is { } site
            ? new ExceptionHandlerResult(new ExceptionHandlerCall(shape, site), null)
            : null;
    }

    private static ExceptionHandlerResult Fallback(LocationInfo location, string reason)
        => new(null, DiagnosticInfo.Create(DiagnosticDescriptors.ExceptionHandlerBoundAtRunTime, location, reason));
}
