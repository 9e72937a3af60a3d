using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SyncContext.AspNetCore.Generator.Model;

namespace SyncContext.AspNetCore.Generator.Parsing;

/// <summary>
/// Turns a call of a hook method (<c>UseBeforeRequest</c>, <c>AddAfterRequest</c>, <c>UseStatusCodeHandler</c>,
/// <c>UseBeforeServing</c>, the WebSocket hooks...) into a <see cref="HookCallResult"/>: the shape of a delegate the
/// generator binds with no reflection, or a diagnostic saying why the runtime's reflection binder binds it instead.
/// The parameters it binds are those of the runtime's <c>HookSignature</c> for that method; anything else (keyed
/// services, default values, a delegate only known as <c>Delegate</c>) is left to the runtime, which reports it.
/// </summary>
internal static class HookCallParser
{
    public const string RuntimeTypeName = "SyncContext.AspNetCore.Binding.SyncContextHooks";

    private const string Request = "request";
    private const string Exception = "exception";
    private const string StatusCode = "status";

    /// <summary>Each hook method: the class declaring it, whether it is an <c>Add...</c> (endpoint) method, and what it binds.</summary>
    private static readonly Dictionary<string, (string DeclaringType, bool OnEndpoints, bool TakesStatusCode, string[] Binds)> s_methods = new()
    {
        ["UseBeforeRequest"] = ("SyncContextRequestHookExtensions", false, false, [Request]),
        ["UseAfterRequest"] = ("SyncContextRequestHookExtensions", false, false, [Request]),
        ["UseTeardownRequest"] = ("SyncContextRequestHookExtensions", false, false, [Request, Exception]),
        ["AddBeforeRequest"] = ("SyncContextRequestHookExtensions", true, false, [Request]),
        ["AddAfterRequest"] = ("SyncContextRequestHookExtensions", true, false, [Request]),
        ["AddTeardownRequest"] = ("SyncContextRequestHookExtensions", true, false, [Request, Exception]),
        ["UseBeforeWebSocket"] = ("SyncContextWebSocketHookExtensions", false, false, [Request]),
        ["UseAfterWebSocket"] = ("SyncContextWebSocketHookExtensions", false, false, [Request]),
        ["UseTeardownWebSocket"] = ("SyncContextWebSocketHookExtensions", false, false, [Request, Exception]),
        ["AddBeforeWebSocket"] = ("SyncContextWebSocketHookExtensions", true, false, [Request]),
        ["AddAfterWebSocket"] = ("SyncContextWebSocketHookExtensions", true, false, [Request]),
        ["AddTeardownWebSocket"] = ("SyncContextWebSocketHookExtensions", true, false, [Request, Exception]),
        ["UseStatusCodeHandler"] = ("SyncContextStatusCodeHandlerExtensions", false, false, [Request, StatusCode]),
        ["UseBeforeFirstRequest"] = ("SyncContextAppHookExtensions", false, false, []),
        ["UseBeforeServing"] = ("SyncContextAppHookExtensions", false, false, []),
        ["UseAfterServing"] = ("SyncContextAppHookExtensions", false, false, []),
        ["UseTeardownAppContext"] = ("SyncContextAppHookExtensions", false, false, []),
    };

    /// <summary>The cheap syntax test: a call named like a hook method, as <c>app.UseBeforeRequest(...)</c> or its static form.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken)
        => node is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name },
            ArgumentList.Arguments.Count: >= 1 and <= 3,
        }
        && s_methods.ContainsKey(name);

    public static HookCallResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        => Parse((InvocationExpressionSyntax)context.Node, context.SemanticModel, cancellationToken);

    /// <summary>The same, for the suppressor, which has a semantic model but no generator context.</summary>
    public static HookCallResult? Parse(InvocationExpressionSyntax invocation, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (semanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation { TargetMethod: { IsExtensionMethod: true } target } operation
            || !s_methods.TryGetValue(target.Name, out var method)
            || !target.ContainingType.IsType(method.DeclaringType, "Microsoft.AspNetCore.Builder")
            || target.Parameters.Length == 0
            || !target.Parameters[target.Parameters.Length - 1].Type.IsType("Delegate", "System")
            || semanticModel.Compilation.GetTypeByMetadataName(RuntimeTypeName) is null)
        {
            return null;
        }

        var takesStatusCode = target.Parameters.Length == 3;
        var hookMethod = new HookMethod(target.Name, method.OnEndpoints, takesStatusCode);
        IArgumentOperation? hookArgument = null;
        foreach (var argument in operation.Arguments)
        {
            if (argument.Parameter?.Ordinal == target.Parameters.Length - 1)
            {
                hookArgument = argument;
            }
        }

        if (hookArgument is null)
        {
            return null;
        }

        var location = LocationInfo.From(invocation.GetLocation());
        var handler = hookArgument.Value.HandlerMethod(out var delegateType);
        if (handler is null || delegateType is not INamedTypeSymbol { TypeKind: TypeKind.Delegate } namedDelegate)
        {
            return Fallback(location, target.Name, $"it is an expression of type '{delegateType?.ToDisplayString() ?? "Delegate"}', whose parameters are unknown at compile time.");
        }

        if (namedDelegate.IsAnonymousType)
        {
            return Fallback(location, target.Name, "its delegate type has no name (a parameter has a default value, params or a ref modifier).");
        }

        var invoke = namedDelegate.DelegateInvokeMethod!;
        if (invoke.ReturnsByRef || invoke.ReturnsByRefReadonly || invoke.ReturnType.IsRefLikeType)
        {
            return Fallback(location, target.Name, "it returns by reference or a ref struct.");
        }

        var (returns, resultType) = Classify(invoke.ReturnType);
        if (returns is null)
        {
            // A custom awaitable: the runtime refuses it with a message saying what to return.
            return Fallback(location, target.Name, $"it returns '{invoke.ReturnType.ToDisplayString()}', an awaitable other than Task or ValueTask.");
        }

        var binds = new HashSet<string>(method.Binds);
        var parameters = ImmutableArray.CreateBuilder<HookParameter>(invoke.Parameters.Length);
        for (var i = 0; i < invoke.Parameters.Length; i++)
        {
            // The delegate type gives the types; the handler itself gives the names and attributes people wrote.
            var written = i < handler.Parameters.Length ? handler.Parameters[i] : invoke.Parameters[i];
            var type = invoke.Parameters[i].Type;
            if (invoke.Parameters[i].RefKind != RefKind.None || type.IsRefLikeType)
            {
                return Fallback(location, target.Name, $"parameter '{written.Name}' is passed by reference or is a ref struct.");
            }

            var fromServices = false;
            foreach (var attribute in written.GetAttributes())
            {
                if (attribute.AttributeClass.IsType("FromKeyedServicesAttribute", "Microsoft.Extensions.DependencyInjection"))
                {
                    return Fallback(location, target.Name, $"parameter '{written.Name}' is a keyed service.");
                }

                fromServices |= attribute.AttributeClass.IsType("FromServicesAttribute", "Microsoft.AspNetCore.Mvc");
            }

            if (written.HasExplicitDefaultValue)
            {
                return Fallback(location, target.Name, $"parameter '{written.Name}' has a default value.");
            }

            var source = fromServices ? null : Special(type, binds);
            if (source is HookArgumentSource.HttpContext or HookArgumentSource.HttpRequest or HookArgumentSource.HttpResponse or HookArgumentSource.User
                && !binds.Contains(Request))
            {
                return Fallback(location, target.Name, $"parameter '{written.Name}' needs a request, and this hook runs outside one.");
            }

            if (source is null && !fromServices && type.IsType("IRequestContext", "SyncContext") && !binds.Contains(Request))
            {
                return Fallback(location, target.Name, $"parameter '{written.Name}' needs a request, and this hook runs outside one.");
            }

            if (source is HookArgumentSource.Exception && !binds.Contains(Exception))
            {
                return Fallback(location, target.Name, $"parameter '{written.Name}' is an exception, and this hook is not about one.");
            }

            if (source is null && type.IsValueType)
            {
                return Fallback(location, target.Name, $"parameter '{written.Name}' of type '{type.ToDisplayString()}' is a value type the hook does not provide.");
            }

            var optional = type.NullableAnnotation == NullableAnnotation.Annotated;
            var typeName = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolExtensions.TypeFormat);
            parameters.Add(new HookParameter(
                source ?? (optional ? HookArgumentSource.OptionalService : HookArgumentSource.RequiredService),
                typeName,
                written.Name));
        }

        var shape = new HookShape(
            namedDelegate.ToDisplayString(SymbolExtensions.TypeFormat),
            new EquatableArray<HookParameter>(parameters.MoveToImmutable()),
            returns.Value,
            resultType);

        return semanticModel.ToInterceptSite(invocation, cancellationToken) is { } site
            ? new HookCallResult(new HookCall(hookMethod, shape, site), null)
            : null;
    }

    /// <summary>The parameters that are not services, as the runtime binder recognises them.</summary>
    private static HookArgumentSource? Special(ITypeSymbol type, HashSet<string> binds)
    {
        if (type.DerivesFromException())
        {
            return HookArgumentSource.Exception;
        }

        if (binds.Contains(StatusCode))
        {
            if (type.SpecialType == SpecialType.System_Int32)
            {
                return HookArgumentSource.StatusCode;
            }

            if (type.IsType("HttpStatusCode", "System.Net"))
            {
                return HookArgumentSource.HttpStatusCode;
            }
        }

        return type switch
        {
            _ when type.IsType("CancellationToken", "System.Threading") => HookArgumentSource.CancellationToken,
            _ when type.IsType("HttpContext", "Microsoft.AspNetCore.Http") => HookArgumentSource.HttpContext,
            _ when type.IsType("HttpRequest", "Microsoft.AspNetCore.Http") => HookArgumentSource.HttpRequest,
            _ when type.IsType("HttpResponse", "Microsoft.AspNetCore.Http") => HookArgumentSource.HttpResponse,
            _ when type.IsType("ClaimsPrincipal", "System.Security.Claims") => HookArgumentSource.User,
            _ => null,
        };
    }

    private static (HookReturn? Returns, string? ResultType) Classify(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return (HookReturn.Void, null);
        }

        if (type is INamedTypeSymbol named)
        {
            var isTask = named.IsType("Task", "System.Threading.Tasks");
            var isValueTask = named.IsType("ValueTask", "System.Threading.Tasks");
            if (isTask || isValueTask)
            {
                if (named.TypeArguments.Length == 0)
                {
                    return (isTask ? HookReturn.Task : HookReturn.ValueTask, null);
                }

                var result = named.TypeArguments[0].ToDisplayString(SymbolExtensions.TypeFormat);
                return (isTask ? HookReturn.TaskOfT : HookReturn.ValueTaskOfT, result);
            }
        }

        return type.IsAwaitable() ? (null, null) : (HookReturn.Value, null);
    }

    private static HookCallResult Fallback(LocationInfo location, string method, string reason)
        => new(null, DiagnosticInfo.Create(DiagnosticDescriptors.HookBoundAtRunTime, location, method, reason));
}
