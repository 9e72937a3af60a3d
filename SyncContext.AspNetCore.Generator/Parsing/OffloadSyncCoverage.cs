using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SyncContext.AspNetCore.Generator.Parsing;

/// <summary>
/// Whether a Map call is offloaded by an <c>.OffloadSync()</c> the user wrote in the same method, so that a call the
/// generator may not intercept needs no warning. Covered:
/// <list type="bullet">
/// <item>the endpoint's own chain: <c>app.MapGet(...).WithName("x").OffloadSync()</c>;</item>
/// <item>an endpoint kept in a local assigned once: <c>var e = app.MapGet(...); e.OffloadSync();</c>;</item>
/// <item>the group it is mapped on, and the groups that one is mapped on: <c>app.MapGroup("/x").OffloadSync().MapGet(...)</c>,
/// <c>var g = app.MapGroup("/x").OffloadSync(); g.MapGet(...)</c>, or <c>g.OffloadSync();</c> on a group local assigned once;
/// a group local assigned several times is covered when every value assigned to it is.</item>
/// </list>
/// Not covered (the warning stays): builders that come from a parameter, a field, a property or another method's
/// result, locals passed by <c>ref</c>/<c>out</c> (or declared by <c>out var</c>), and <c>OffloadSync()</c> called in another method.
/// </summary>
internal static class OffloadSyncCoverage
{
    private const int MaxDepth = 8;

    // One index per method body and generator run: built in one walk, so each Map call's question is cheap.
    private static readonly ConditionalWeakTable<SyntaxNode, BodyIndex> s_indexes = new();

    public static bool IsCovered(SemanticModel model, InvocationExpressionSyntax mapCall, CancellationToken cancellationToken)
    {
        var body = BodyOf(mapCall);
        var index = s_indexes.GetValue(body, BodyIndex.Build);
        if (index.OffloadSyncCalls.Count == 0)
        {
            // Nothing in this method says OffloadSync: the common case costs one walk of the method, once.
            return false;
        }

        var top = TopOfChain(model, mapCall, cancellationToken, out var covered);
        if (covered)
        {
            return true;
        }

        if (top.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            && model.GetDeclaredSymbol(declarator, cancellationToken) is ILocalSymbol endpoint
            && !index.PassedByReference.Contains(endpoint.Name)
            && AssignmentsTo(model, index, endpoint, cancellationToken).Count == 0
            && IsExplicitlyOffloaded(model, index, endpoint, cancellationToken))
        {
            return true;
        }

        var receiver = mapCall.Expression is MemberAccessExpressionSyntax access
                       && model.GetSymbolInfo(mapCall, cancellationToken).Symbol is IMethodSymbol { ReducedFrom: not null }
            ? access.Expression
            : mapCall.ArgumentList.Arguments.Count > 0 && mapCall.ArgumentList.Arguments[0].NameColon is null ? mapCall.ArgumentList.Arguments[0].Expression : null; // the static call form
        return receiver is not null && IsBuilderCovered(model, receiver, cancellationToken, 0);
    }

    /// <summary>
    /// Walks up <c>call.A().B()</c> while each link hands the same builder on; <paramref name="covered"/> is set when one
    /// of them is <c>OffloadSync()</c>. Returns the last expression of the chain.
    /// </summary>
    private static ExpressionSyntax TopOfChain(SemanticModel model, ExpressionSyntax start, CancellationToken cancellationToken, out bool covered)
    {
        covered = false;
        ExpressionSyntax current = start;
        while (true)
        {
            if (current.Parent is MemberAccessExpressionSyntax access && access.Expression == current && access.Parent is InvocationExpressionSyntax outer)
            {
                if (access.Name.Identifier.ValueText == "OffloadSync" && IsOffloadSync(model, outer, cancellationToken))
                {
                    covered = true;
                    return outer;
                }

                if (!PassesBuilderOn(model, outer, cancellationToken))
                {
                    return current;
                }

                current = outer;
            }
            else if (current.Parent is ParenthesizedExpressionSyntax parenthesized)
            {
                current = parenthesized;
            }
            else if (current.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax staticCall } }
                     && IsOffloadSync(model, staticCall, cancellationToken))
            {
                // OffloadSyncEndpointConventionBuilderExtensions.OffloadSync(app.MapGet(...))
                covered = true;
                return staticCall;
            }
            else
            {
                return current;
            }
        }
    }

    /// <summary>Whether the builder <paramref name="expression"/> evaluates to has <c>OffloadSync()</c>, itself or through a group it belongs to.</summary>
    private static bool IsBuilderCovered(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return IsBuilderCovered(model, parenthesized.Expression, cancellationToken, depth + 1);

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation:
                if (access.Name.Identifier.ValueText == "OffloadSync" && IsOffloadSync(model, invocation, cancellationToken))
                {
                    return true;
                }

                // A convention on the same builder (.WithTags(...)), or MapGroup: a group's conventions reach the groups mapped on it.
                return (IsMapGroup(model, invocation, cancellationToken) || PassesBuilderOn(model, invocation, cancellationToken))
                       && IsBuilderCovered(model, access.Expression, cancellationToken, depth + 1);

            case IdentifierNameSyntax identifier
                when model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol local:
                return IsLocalCovered(model, local, cancellationToken, depth + 1);

            default:
                return false;
        }
    }

    private static bool IsLocalCovered(SemanticModel model, ILocalSymbol local, CancellationToken cancellationToken, int depth)
    {
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator)
        {
            return false;
        }

        var index = s_indexes.GetValue(BodyOf(declarator), BodyIndex.Build);
        if (index.PassedByReference.Contains(local.Name))
        {
            return false;
        }

        var values = AssignmentsTo(model, index, local, cancellationToken);
        if (declarator.Initializer is { } initializer)
        {
            values.Insert(0, initializer.Value);
        }

        if (values.Count == 1 && IsExplicitlyOffloaded(model, index, local, cancellationToken))
        {
            return true;
        }

        if (values.Count == 0)
        {
            return false;
        }

        foreach (var value in values)
        {
            if (!IsBuilderCovered(model, value, cancellationToken, depth + 1))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The values assigned to <paramref name="local"/> after its declaration (<c>g = ...</c>, <c>g ??= ...</c>).</summary>
    private static List<ExpressionSyntax> AssignmentsTo(SemanticModel model, BodyIndex index, ILocalSymbol local, CancellationToken cancellationToken)
    {
        var values = new List<ExpressionSyntax>();
        foreach (var assignment in index.Assignments)
        {
            if (assignment.Left is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, local))
            {
                values.Add(assignment.Right);
            }
        }

        return values;
    }

    /// <summary>A statement such as <c>local.OffloadSync();</c> or <c>local.WithTags("x").OffloadSync();</c>.</summary>
    private static bool IsExplicitlyOffloaded(SemanticModel model, BodyIndex index, ILocalSymbol local, CancellationToken cancellationToken)
    {
        foreach (var call in index.OffloadSyncCalls)
        {
            var target = call switch
            {
                { Expression: MemberAccessExpressionSyntax access } when model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { ReducedFrom: not null } => access.Expression,
                { ArgumentList.Arguments.Count: 1 } => call.ArgumentList.Arguments[0].Expression,
                _ => null,
            };

            // Down through conventions on the same builder to the local they start from.
            while (target is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax inner } link && PassesBuilderOn(model, link, cancellationToken))
            {
                target = inner.Expression;
            }

            if (target is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name
                && IsOffloadSync(model, call, cancellationToken)
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, cancellationToken).Symbol, local))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOffloadSync(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "OffloadSync" } method
           && (method.ReducedFrom ?? method).ContainingType.IsType("OffloadSyncEndpointConventionBuilderExtensions", "Microsoft.AspNetCore.Builder");

    private static bool IsMapGroup(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { Name: "MapGroup" } method
           && (method.ReducedFrom ?? method).ContainingType.IsType("EndpointRouteBuilderExtensions", "Microsoft.AspNetCore.Builder");

    /// <summary>A convention that returns the builder it is called on (<c>TBuilder WithName&lt;TBuilder&gt;(this TBuilder)</c>).</summary>
    private static bool PassesBuilderOn(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { ReducedFrom: not null, ReceiverType: { } receiver } method
           && SymbolEqualityComparer.Default.Equals(method.ReturnType, receiver);

    /// <summary>The method (with its local functions and lambdas) a node belongs to; for top-level statements, the file.</summary>
    private static SyntaxNode BodyOf(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case GlobalStatementSyntax global:
                    return global.Parent ?? global;
                case MemberDeclarationSyntax member:
                    return member;
            }
        }

        return node.SyntaxTree.GetRoot();
    }

    /// <summary>The <c>OffloadSync(...)</c> calls and the assignments to a plain name in one method, found in one walk.</summary>
    private sealed class BodyIndex
    {
        private BodyIndex(List<InvocationExpressionSyntax> offloadSyncCalls, List<AssignmentExpressionSyntax> assignments, HashSet<string> passedByReference)
        {
            OffloadSyncCalls = offloadSyncCalls;
            Assignments = assignments;
            PassedByReference = passedByReference;
        }

        public List<InvocationExpressionSyntax> OffloadSyncCalls { get; }

        public List<AssignmentExpressionSyntax> Assignments { get; }

        /// <summary>Names passed as <c>ref</c> or <c>out</c> arguments: whatever such a local holds is unknown here.</summary>
        public HashSet<string> PassedByReference { get; }

        public static BodyIndex Build(SyntaxNode body)
        {
            var offloadSyncCalls = new List<InvocationExpressionSyntax>();
            var assignments = new List<AssignmentExpressionSyntax>();
            var passedByReference = new HashSet<string>();
            foreach (var node in body.DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OffloadSync" } } call:
                        offloadSyncCalls.Add(call);
                        break;
                    case AssignmentExpressionSyntax { Left: IdentifierNameSyntax } assignment:
                        assignments.Add(assignment);
                        break;
                    case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax { Identifier.ValueText: var name } }:
                        passedByReference.Add(name);
                        break;
                }
            }

            return new BodyIndex(offloadSyncCalls, assignments, passedByReference);
        }
    }
}
