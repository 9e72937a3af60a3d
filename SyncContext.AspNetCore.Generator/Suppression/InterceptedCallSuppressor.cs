using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncContext.AspNetCore.Generator.Parsing;

namespace SyncContext.AspNetCore.Generator.Suppression;

/// <summary>
/// Suppresses the trimming and AOT warnings (IL2026, IL3050) that the IL analyzer reports on a
/// <c>UseExceptionHandler(Delegate)</c> call the generator intercepts: that call never reaches the reflection-based
/// method the warning is about, but a typed interceptor that binds the handler at compile time. ASP.NET Core's Request
/// Delegate Generator does the same for the <c>MapGet</c> calls it intercepts. A call the generator does not intercept
/// (interceptors off, or a handler it cannot bind, reported as SYNCCTX005) keeps its warning, because it is true there.
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
            if (invocation is null || invocation.SpanStart != span.Start || !ExceptionHandlerParser.IsCandidate(invocation, context.CancellationToken))
            {
                continue;
            }

            var semanticModel = context.GetSemanticModel(tree);
            if (ExceptionHandlerParser.Parse(invocation, semanticModel, context.CancellationToken) is { Call: not null })
            {
                context.ReportSuppression(Microsoft.CodeAnalysis.Diagnostics.Suppression.Create(diagnostic.Id == UnreferencedCode.SuppressedDiagnosticId ? UnreferencedCode : DynamicCode, diagnostic));
            }
        }
    }
}
