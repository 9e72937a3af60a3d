using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncContext.AspNetCore.Generator.Parsing;

namespace SyncContext.AspNetCore.Generator.Suppression;

/// <summary>
/// Suppresses the trimming and AOT warnings (IL2026, IL3050) that the IL analyzer reports on a
/// <c>UseExceptionHandler(Delegate)</c> or hook method call (<c>UseBeforeRequest</c>, <c>UseStatusCodeHandler</c>, ...) the
/// generator intercepts: that call never reaches the reflection-based method the warning is about, but a typed interceptor
/// that binds the delegate at compile time. ASP.NET Core's Request
/// Delegate Generator does the same for the <c>MapGet</c> calls it intercepts. A call the generator does not intercept
/// (interceptors off, or a delegate it cannot bind, reported as SYNCCTX005 or SYNCCTX006) keeps its warning, because it is true there.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class InterceptedCallSuppressor : DiagnosticSuppressor
{
    internal static readonly SuppressionDescriptor UnreferencedCode = new(
        id: "SYNCCTXSPR001",
        suppressedDiagnosticId: "IL2026",
        justification: "The SyncContext generator intercepts this call with code that binds the handler at compile time, without reflection.");

    internal static readonly SuppressionDescriptor DynamicCode = new(
        id: "SYNCCTXSPR002",
        suppressedDiagnosticId: "IL3050",
        justification: "The SyncContext generator intercepts this call with code that binds the handler at compile time, without dynamic code.");

    /// <inheritdoc />
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = ImmutableArray.Create(UnreferencedCode, DynamicCode);

    /// <inheritdoc />
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            // The IL analyzer puts the invocation it is about in the first additional location, where it gives one.
            var location = diagnostic.AdditionalLocations.Count > 0 ? diagnostic.AdditionalLocations[0] : diagnostic.Location;
            if (location.SourceTree is not { } tree
                || !SettingsReader.Read(context.Options.AnalyzerConfigOptionsProvider.GlobalOptions, tree.Options).InterceptorsEnabled)
            {
                continue;
            }

            // The warning about the call itself is located on the whole invocation; one about code inside the handler
            // (a lambda body) is located there, and is not ours to suppress. The primary location may be only a part of
            // the invocation (its name), so a location that starts where the invocation does counts too.
            var span = location.SourceSpan;
            var node = tree.GetRoot(context.CancellationToken).FindNode(span, getInnermostNodeForTie: true);
            var invocation = node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null || invocation.SpanStart != span.Start)
            {
                continue;
            }

            if (IsIntercepted(invocation, context))
            {
                context.ReportSuppression(Microsoft.CodeAnalysis.Diagnostics.Suppression.Create(diagnostic.Id == UnreferencedCode.SuppressedDiagnosticId ? UnreferencedCode : DynamicCode, diagnostic));
            }
        }
    }

    /// <summary>Whether the generator intercepts this call with a typed binder: the same parsers decide both.</summary>
    private static bool IsIntercepted(InvocationExpressionSyntax invocation, SuppressionAnalysisContext context)
    {
        if (ExceptionHandlerParser.IsCandidate(invocation, context.CancellationToken))
        {
            return ExceptionHandlerParser.Parse(invocation, context.GetSemanticModel(invocation.SyntaxTree), context.CancellationToken) is { Call: not null };
        }

        return HookCallParser.IsCandidate(invocation, context.CancellationToken)
            && HookCallParser.Parse(invocation, context.GetSemanticModel(invocation.SyntaxTree), context.CancellationToken) is { Call: not null };
    }
}
