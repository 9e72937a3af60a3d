using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SyncContext.AspNetCore.Generator.Model;

namespace SyncContext.AspNetCore.Generator.Parsing;

internal static class SymbolExtensions
{
    /// <summary>Fully qualified, with nullable annotations: how emitted code names a type.</summary>
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static bool IsType(this ITypeSymbol? type, string name, string containingNamespace)
        => type is not null && type.Name == name && type.ContainingNamespace.IsNamespace(containingNamespace);

    /// <summary>
    /// Whether <paramref name="symbol"/> is the namespace named <paramref name="dottedName"/> (<c>System.Threading.Tasks</c>):
    /// compares its parts from the innermost out, with no display string built (every candidate asks this a few times).
    /// </summary>
    public static bool IsNamespace(this INamespaceSymbol? symbol, string dottedName)
    {
        var end = dottedName.Length;
        for (var current = symbol; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            var part = current.Name;
            var start = end - part.Length;
            if (start < 0 || string.CompareOrdinal(dottedName, start, part, 0, part.Length) != 0)
            {
                return false;
            }

            if (start == 0)
            {
                return current.ContainingNamespace is null or { IsGlobalNamespace: true };
            }

            if (dottedName[start - 1] != '.')
            {
                return false;
            }

            end = start - 1;
        }

        return false;
    }

    /// <summary>
    /// Whether a handler returning <paramref name="type"/> completes asynchronously: Task, ValueTask, their generic
    /// forms, and anything with a public parameterless instance <c>GetAwaiter()</c> (the runtime's own test).
    /// </summary>
    public static bool IsAwaitable(this ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsType("Task", "System.Threading.Tasks") || current.IsType("ValueTask", "System.Threading.Tasks"))
            {
                return true;
            }

            foreach (var member in current.GetMembers("GetAwaiter"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="type"/> is Task, ValueTask or one of their generic forms (or derives from Task): a handler
    /// returning it is asynchronous for certain. Other awaitables are left to the runtime, which decides from the
    /// handler's method, so that the two can never disagree into a silent skip.
    /// </summary>
    public static bool IsTaskOrValueTask(this ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsType("Task", "System.Threading.Tasks") || current.IsType("ValueTask", "System.Threading.Tasks"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="method"/> carries the attribute named <paramref name="name"/> in <paramref name="containingNamespace"/>.</summary>
    public static bool HasAttribute(this IMethodSymbol method, string name, string containingNamespace)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass.IsType(name, containingNamespace))
            {
                return true;
            }
        }

        return false;
    }

    public static bool DerivesFromException(this ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsType("Exception", "System"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value passed, under the implicit conversions and parentheses the compiler added.</summary>
    public static IOperation Unwrap(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { IsImplicit: true } conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// The method a handler expression stands for: a lambda's or local function's symbol, a method group's
    /// method, or the <c>Invoke</c> of a variable whose delegate type is known. <see langword="null"/> when
    /// the expression is only known to be some <see cref="System.Delegate"/>.
    /// </summary>
    public static IMethodSymbol? HandlerMethod(this IOperation handler, out ITypeSymbol? delegateType)
    {
        var value = handler.Unwrap();
        delegateType = value.Type;
        return value switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda.Symbol,
            IDelegateCreationOperation { Target: IMethodReferenceOperation group } => group.Method,
            _ when value.Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke } => invoke,
            _ => null,
        };
    }

    public static InterceptSite? ToInterceptSite(this SemanticModel model, InvocationExpressionSyntax invocation, System.Threading.CancellationToken cancellationToken)
    {
        var location = model.GetInterceptableLocation(invocation, cancellationToken);
        var methodName = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            _ => null,
        };

        if (location is null || methodName is null)
        {
            return null;
        }

        // For people reading the generated file: the file name and the position of the method name.
        var name = methodName.GetLocation().GetLineSpan();
        var display = $"{System.IO.Path.GetFileName(name.Path)}({name.StartLinePosition.Line + 1},{name.StartLinePosition.Character + 1})";
        return new InterceptSite(location.Version, location.Data, display, LocationInfo.From(invocation.GetLocation()));
    }
}
