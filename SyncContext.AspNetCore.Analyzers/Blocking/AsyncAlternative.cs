using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace SyncContext.AspNetCore.Analyzers.Blocking;

/// <summary>
/// The awaitable replacement of a blocking call, if there is one the code fix can write without changing the
/// arguments: <c>await Task.Delay</c> for <c>Thread.Sleep</c>, <c>await task</c> for a parameterless wait on it, and
/// <c>await x.NameAsync(same arguments)</c> when the type has such a method (extra parameters optional).
/// </summary>
internal static class AsyncAlternative
{
    public const string FixKey = "SyncContext.Fix";
    public const string MethodKey = "SyncContext.AsyncMethod";
    public const string HandlerKey = "SyncContext.Handler";

    public const string Delay = "Delay";
    public const string Await = "Await";
    public const string Method = "Method";

    /// <summary>Returns the fix kind and, for <see cref="Method"/>, the async method's name.</summary>
    public static (string? Fix, string? MethodName) Find(IOperation operation, BlockingKind kind)
    {
        if (operation is IPropertyReferenceOperation)
        {
            return kind == BlockingKind.SyncOverAsync ? (Await, null) : (null, null);
        }

        if (operation is not IInvocationOperation invocation)
        {
            return (null, null);
        }

        var method = invocation.TargetMethod;
        if (kind == BlockingKind.Sleep)
        {
            return (Delay, null);
        }

        if (kind == BlockingKind.SyncOverAsync)
        {
            // task.Wait() and task.GetAwaiter().GetResult(); not Wait(timeout) nor the static WaitAll/WaitAny.
            return !method.IsStatic && method.Parameters.Length == 0 ? (Await, null) : (null, null);
        }

        return FindAsyncMethod(method) is { } name ? (Method, name) : (null, null);
    }

    private static string? FindAsyncMethod(IMethodSymbol method)
    {
        var name = method.Name + "Async";
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol candidate && candidate.IsStatic == method.IsStatic
                    && candidate.DeclaredAccessibility == Accessibility.Public && IsAwaitable(candidate.ReturnType)
                    && StartsWithSameParameters(candidate, method))
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static bool StartsWithSameParameters(IMethodSymbol candidate, IMethodSymbol method)
    {
        if (candidate.Parameters.Length < method.Parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < candidate.Parameters.Length; i++)
        {
            var parameter = candidate.Parameters[i];
            if (i >= method.Parameters.Length)
            {
                if (!parameter.IsOptional)
                {
                    return false;
                }

                continue;
            }

            var original = method.Parameters[i];
            if (parameter.RefKind != original.RefKind || !SymbolEqualityComparer.Default.Equals(parameter.Type, original.Type))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAwaitable(ITypeSymbol type)
    {
        foreach (var member in type.GetMembers("GetAwaiter"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0 })
            {
                return true;
            }
        }

        return false;
    }
}
