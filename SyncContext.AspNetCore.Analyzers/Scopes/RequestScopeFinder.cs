using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SyncContext.AspNetCore.Analyzers.Scopes;

/// <summary>
/// Decides, for an operation inside a method, which request code it runs in. It walks out from the operation through
/// the lambdas around it: a lambda handed to a Map call, a middleware (<c>Use</c>, <c>Run</c>) or an endpoint filter
/// is the scope; a lambda handed to <c>IRunSync.RunAsync</c> (or another SyncContext offload) ends the walk with no
/// scope; a lambda handed to any other call (LINQ, <c>List.ForEach</c>, <c>Task.Run</c>) is assumed to run on the
/// same kind of thread as its caller, so the walk goes on. Reaching the method body, the method itself is judged:
/// middleware and filter classes by their shape, anything else by whether it is used as a handler method group,
/// which only the whole compilation can tell (<see cref="RequestScope.MethodCandidate"/>).
/// </summary>
internal sealed class RequestScopeFinder(KnownTypes types)
{
    private static readonly ImmutableHashSet<string> s_mapMethods = ImmutableHashSet.Create(
        "Map", "MapGet", "MapPost", "MapPut", "MapDelete", "MapPatch", "MapMethods", "MapFallback");

    public RequestScope Find(IOperation operation, ISymbol containingSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                var role = ClassifyLambda(lambda);
                if (role == LambdaRole.Inline)
                {
                    continue;
                }

                return role switch
                {
                    LambdaRole.Handler => HandlerScope(lambda.Symbol, lambda),
                    LambdaRole.Middleware => new RequestScope(ScopeKind.Middleware, lambda, null),
                    LambdaRole.EndpointFilter => new RequestScope(ScopeKind.EndpointFilter, lambda, null),
                    _ => RequestScope.None,
                };
            }

            if (current is ILocalFunctionOperation localFunction)
            {
                return MethodScope(localFunction.Symbol, localFunction);
            }
        }

        return containingSymbol is IMethodSymbol method ? MethodScope(method, null) : RequestScope.None;
    }

    /// <summary>Whether <paramref name="invocation"/> is a Map call; if so, the method its handler names (a method group), if any.</summary>
    public bool TryGetHandlerMethodGroup(IInvocationOperation invocation, out IMethodSymbol? handler)
    {
        handler = null;
        if (!IsMapCall(invocation.TargetMethod))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (IsDelegateParameter(argument.Parameter) && Unwrap(argument.Value) is IDelegateCreationOperation { Target: IMethodReferenceOperation reference })
            {
                handler = reference.Method.OriginalDefinition;
            }
        }

        return true;
    }

    private RequestScope MethodScope(IMethodSymbol method, IOperation? declaration)
    {
        if (IsMiddlewareMethod(method))
        {
            return new RequestScope(ScopeKind.Middleware, declaration, null);
        }

        if (Implements(method, types.EndpointFilter))
        {
            return new RequestScope(ScopeKind.EndpointFilter, declaration, null);
        }

        // A method blocks the pool as a handler only if it is async or returns a task; a sync one is offloaded.
        var kind = HandlerKind(method);
        return kind == ScopeKind.None ? RequestScope.None : new RequestScope(kind, declaration, method.OriginalDefinition);
    }

    private RequestScope HandlerScope(IMethodSymbol method, IAnonymousFunctionOperation lambda)
    {
        var kind = HandlerKind(method);
        return kind == ScopeKind.None ? RequestScope.None : new RequestScope(kind, lambda, null);
    }

    private ScopeKind HandlerKind(IMethodSymbol method)
    {
        if (method.IsAsync)
        {
            return ScopeKind.AsyncHandler;
        }

        return IsTaskLike(method.ReturnType) ? ScopeKind.TaskReturningHandler : ScopeKind.None;
    }

    private LambdaRole ClassifyLambda(IAnonymousFunctionOperation lambda)
    {
        var value = OuterValue(lambda);
        switch (value.Parent)
        {
            case IArgumentOperation { Parent: IInvocationOperation invocation } argument:
                return ClassifyArgument(invocation.TargetMethod, argument.Parameter);
            case IArgumentOperation { Parent: IObjectCreationOperation }:
                return LambdaRole.None;
            case IReturnOperation returned when EnclosingLambda(returned) is { } outer:
                // app.Use(next => async context => ...) and AddEndpointFilterFactory((factory, next) => async invocation => ...)
                var outerRole = ClassifyLambda(outer);
                return outerRole is LambdaRole.MiddlewareFactory ? LambdaRole.Middleware
                    : outerRole is LambdaRole.EndpointFilterFactory ? LambdaRole.EndpointFilter
                    : LambdaRole.None;
            default:
                return LambdaRole.None;
        }
    }

    private LambdaRole ClassifyArgument(IMethodSymbol method, IParameterSymbol? parameter)
    {
        var type = method.ContainingType;
        if (IsMapCall(method))
        {
            return IsDelegateParameter(parameter) ? LambdaRole.Handler : LambdaRole.None;
        }

        if (Is(type, types.UseExtensions) && method.Name == "Use")
        {
            return LambdaRole.Middleware;
        }

        if (Is(type, types.RunExtensions) && method.Name == "Run")
        {
            return LambdaRole.Middleware;
        }

        if (method.Name == "Use" && (Is(type, types.ApplicationBuilder) || Implements(method, types.ApplicationBuilder)))
        {
            return LambdaRole.MiddlewareFactory;
        }

        if (Is(type, types.EndpointFilterExtensions))
        {
            return method.Name == "AddEndpointFilter" ? LambdaRole.EndpointFilter
                : method.Name == "AddEndpointFilterFactory" ? LambdaRole.EndpointFilterFactory
                : LambdaRole.None;
        }

        if (IsOffload(method))
        {
            return LambdaRole.None;
        }

        return LambdaRole.Inline;
    }

    private bool IsMapCall(IMethodSymbol method)
        => s_mapMethods.Contains(method.Name) && Is(method.ContainingType, types.EndpointRouteBuilderExtensions);

    private bool IsDelegateParameter(IParameterSymbol? parameter)
        => parameter is not null && (Is(parameter.Type, types.Delegate) || Is(parameter.Type, types.RequestDelegate));

    /// <summary>SyncContext's own offloads: the lambda runs on the executor, where blocking is the point.</summary>
    private bool IsOffload(IMethodSymbol method)
    {
        if (method.Name == "RunAsync")
        {
            if (Is(method.ContainingType, types.RunSync) || Implements(method, types.RunSync) || Is(method.ContainingType, types.SyncExecutor))
            {
                return true;
            }
        }

        return method.Name == "Add" && Is(method.ContainingType, types.BackgroundWork);
    }

    private bool IsMiddlewareMethod(IMethodSymbol method)
    {
        if (Implements(method, types.Middleware))
        {
            return true;
        }

        // Convention-based middleware: a public Invoke/InvokeAsync(HttpContext, ...) returning Task, in a class built with the next RequestDelegate.
        if (method.Name is not ("Invoke" or "InvokeAsync") || method.IsStatic || method.DeclaredAccessibility != Accessibility.Public
            || method.Parameters.Length == 0 || !Is(method.Parameters[0].Type, types.HttpContext) || !Is(method.ReturnType, types.Task))
        {
            return false;
        }

        foreach (var constructor in method.ContainingType.InstanceConstructors)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (Is(parameter.Type, types.RequestDelegate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsTaskLike(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, types.Task) || Is(current, types.ValueTask) || Is(current, types.ValueTaskOfT))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Implements(IMethodSymbol method, INamedTypeSymbol? interfaceType)
    {
        if (interfaceType is null || method.ContainingType is not { } type)
        {
            return false;
        }

        foreach (var member in interfaceType.GetMembers(method.Name))
        {
            if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known);

    /// <summary>The lambda's value as its consumer sees it: under the delegate creation and conversions around it.</summary>
    private static IOperation OuterValue(IOperation operation)
    {
        var current = operation;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        var current = operation;
        while (current is IConversionOperation { Operand: var operand })
        {
            current = operand;
        }

        return current;
    }

    private static IAnonymousFunctionOperation? EnclosingLambda(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                return lambda;
            }

            if (current is ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }

    private enum LambdaRole
    {
        None,
        Inline,
        Handler,
        Middleware,
        MiddlewareFactory,
        EndpointFilter,
        EndpointFilterFactory,
    }
}
