using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using SyncContext.AspNetCore.Analyzers;
using SyncContext.AspNetCore.Analyzers.Blocking;

namespace SyncContext.AspNetCore.CodeFixes;

/// <summary>
/// Two fixes for a blocking call in request code: make the endpoint handler synchronous, so SyncContext offloads it
/// (when that changes nothing else: an <c>async</c> lambda with no <c>await</c>, or one that only returns
/// <c>Task.FromResult(x)</c>), and use the async API (<c>await Task.Delay</c>, <c>await task</c>,
/// <c>await x.NameAsync(...)</c>) where the code around the call is already <c>async</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallCodeFixProvider))]
[Shared]
public sealed class BlockingCallCodeFixProvider : CodeFixProvider
{
    internal const string UseAsyncApiKey = "SyncContext.UseAsyncApi";
    internal const string MakeSynchronousKey = "SyncContext.MakeHandlerSynchronous";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.Sleep.Id,
        DiagnosticDescriptors.SyncOverAsync.Id,
        DiagnosticDescriptors.SyncIo.Id,
        DiagnosticDescriptors.SyncDatabase.Id,
        DiagnosticDescriptors.SyncWait.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(AsyncAlternative.HandlerKey) && diagnostic.AdditionalLocations.Count > 0
                && root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is AnonymousFunctionExpressionSyntax lambda
                && SynchronousHandler.Rewrite(lambda, model, context.CancellationToken) is { } synchronous)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Make the handler synchronous (SyncContext offloads it)",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(lambda, synchronous))),
                        MakeSynchronousKey),
                    diagnostic);
            }

            if (diagnostic.Properties.TryGetValue(AsyncAlternative.FixKey, out var fix) && fix is not null
                && FindExpression(root, diagnostic) is { } blocking && IsInAsyncFunction(blocking)
                && AsyncReplacement(blocking, fix, diagnostic.Properties.TryGetValue(AsyncAlternative.MethodKey, out var name) ? name : null) is { } replacement)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use the async API",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(blocking, replacement))),
                        UseAsyncApiKey),
                    diagnostic);
            }
        }
    }

    private static ExpressionSyntax? FindExpression(SyntaxNode root, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        return root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<ExpressionSyntax>().FirstOrDefault(e => e.Span == span);
    }

    private static bool IsInAsyncFunction(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static ExpressionSyntax? AsyncReplacement(ExpressionSyntax blocking, string fix, string? methodName)
    {
        ExpressionSyntax? awaited = fix switch
        {
            AsyncAlternative.Delay when blocking is InvocationExpressionSyntax sleep => SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression("global::System.Threading.Tasks.Task.Delay").WithAdditionalAnnotations(Simplifier.Annotation),
                sleep.ArgumentList),
            AsyncAlternative.Await => AwaitedTask(blocking),
            AsyncAlternative.Method when methodName is not null && blocking is InvocationExpressionSyntax call => RenameCall(call, methodName),
            _ => null,
        };
        if (awaited is null)
        {
            return null;
        }

        ExpressionSyntax result = SyntaxFactory.AwaitExpression(awaited.WithoutTrivia());
        if (blocking.Parent is MemberAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ElementAccessExpressionSyntax or PostfixUnaryExpressionSyntax)
        {
            result = SyntaxFactory.ParenthesizedExpression(result);
        }

        return result.WithTriviaFrom(blocking);
    }

    /// <summary>The task of <c>task.Result</c>, <c>task.Wait()</c> and <c>task.GetAwaiter().GetResult()</c>.</summary>
    private static ExpressionSyntax? AwaitedTask(ExpressionSyntax blocking)
    {
        switch (blocking)
        {
            case MemberAccessExpressionSyntax result:
                return result.Expression;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                when access.Name.Identifier.ValueText == "GetResult"
                    && access.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter, ArgumentList.Arguments.Count: 0 }
                    && getAwaiter.Name.Identifier.ValueText == "GetAwaiter":
                return getAwaiter.Expression;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax wait } when wait.Name.Identifier.ValueText == "Wait":
                return wait.Expression;
            default:
                return null;
        }
    }

    private static ExpressionSyntax? RenameCall(InvocationExpressionSyntax call, string methodName)
    {
        SimpleNameSyntax Rename(SimpleNameSyntax name) => name.WithIdentifier(SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, methodName, name.Identifier.TrailingTrivia));

        return call.Expression switch
        {
            MemberAccessExpressionSyntax access => call.WithExpression(access.WithName(Rename(access.Name))),
            SimpleNameSyntax name => call.WithExpression(Rename(name)),
            _ => null,
        };
    }

    /// <summary>The lambda without <c>async</c>, or with <c>Task.FromResult(x)</c> returned as <c>x</c>, when nothing else changes.</summary>
    private static class SynchronousHandler
    {
        public static AnonymousFunctionExpressionSyntax? Rewrite(AnonymousFunctionExpressionSyntax lambda, SemanticModel model, CancellationToken cancellationToken)
        {
            // An explicit return type would need rewriting too; a lambda with untyped parameters (context => ...) is
            // bound to RequestDelegate, and without its task it would bind to nothing.
            if (lambda is not ParenthesizedLambdaExpressionSyntax { ReturnType: null } parenthesized
                || parenthesized.ParameterList.Parameters.Any(parameter => parameter.Type is null))
            {
                return null;
            }

            if (lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
            {
                return OwnNodes(lambda).Any(IsAwait)
                    ? null
                    : lambda.WithAsyncKeyword(default).WithLeadingTrivia(lambda.GetLeadingTrivia());
            }

            return UnwrapFromResult(lambda, model, cancellationToken);
        }

        private static AnonymousFunctionExpressionSyntax? UnwrapFromResult(AnonymousFunctionExpressionSyntax lambda, SemanticModel model, CancellationToken cancellationToken)
        {
            var returned = lambda.ExpressionBody is { } body
                ? new List<ExpressionSyntax?> { body }
                : OwnNodes(lambda).OfType<ReturnStatementSyntax>().Select(r => r.Expression).ToList();
            if (returned.Count == 0 || returned.Any(e => e is null))
            {
                return null;
            }

            var values = new Dictionary<ExpressionSyntax, ExpressionSyntax>();
            ITypeSymbol? valueType = null;
            foreach (var expression in returned)
            {
                if (expression is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
                    || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Name: "FromResult" } method
                    || method.ContainingType is not { Name: "Task" or "ValueTask", ContainingNamespace: var ns }
                    || ns.ToDisplayString() != "System.Threading.Tasks")
                {
                    return null;
                }

                // Several returns must keep one type once unwrapped, or the lambda's return type would change.
                var argument = invocation.ArgumentList.Arguments[0];
                var type = method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } generic ? generic.TypeArguments[0] : null;
                if (type is null || (valueType is not null && !SymbolEqualityComparer.Default.Equals(valueType, type))
                    || !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(argument.Expression, cancellationToken).Type, type))
                {
                    return null;
                }

                valueType = type;
                values[invocation] = argument.Expression.WithTriviaFrom(invocation);
            }

            return lambda.ReplaceNodes(values.Keys, (original, _) => values[original]);
        }

        private static bool IsAwait(SyntaxNode node) => node switch
        {
            AwaitExpressionSyntax => true,
            ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } => true,
            UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } => true,
            LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } => true,
            _ => false,
        };

        /// <summary>The lambda's own body, not the bodies of lambdas and local functions inside it.</summary>
        private static IEnumerable<SyntaxNode> OwnNodes(AnonymousFunctionExpressionSyntax lambda)
            => lambda.Body.DescendantNodesAndSelf(node => node == lambda.Body || node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax));
    }
}
