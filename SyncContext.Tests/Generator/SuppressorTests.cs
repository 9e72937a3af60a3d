using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncContext.AspNetCore.Generator.Suppression;

namespace SyncContext.Tests.Generator;

/// <summary>
/// The IL2026/IL3050 suppressor on intercepted <c>UseExceptionHandler</c> calls. The IL analyzer is not available
/// in memory, so a stand-in reports both warnings where it does: on every invocation of a method marked
/// <c>RequiresUnreferencedCode</c>, located on the whole invocation.
/// </summary>
public class SuppressorTests
{
    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string statements, bool interceptorsEnabled = true)
    {
        var compilation = GeneratorHarness.Compile("TestApp", interceptorsEnabled, HandlerShapes.Program(statements));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new RequiresUnreferencedCodeStandIn(), new InterceptedCallSuppressor());
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);
        return await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
    }

    [Fact]
    public async Task The_warnings_on_an_intercepted_UseExceptionHandler_call_are_suppressed()
    {
        var diagnostics = await AnalyzeAsync("""app.UseExceptionHandler((InvalidOperationException e) => e.Message);""");

        diagnostics.Where(d => d.Id is "IL2026" or "IL3050").ShouldNotBeEmpty();
        diagnostics.Where(d => d.Id is "IL2026" or "IL3050").ShouldAllBe(d => d.IsSuppressed);
    }

    [Fact]
    public async Task The_warnings_stay_on_a_call_bound_by_reflection()
    {
        var diagnostics = await AnalyzeAsync("""Delegate handler = (Exception e) => "x"; app.UseExceptionHandler(handler);""");

        diagnostics.Where(d => d.Id is "IL2026" or "IL3050").ShouldNotBeEmpty();
        diagnostics.Where(d => d.Id is "IL2026" or "IL3050").ShouldAllBe(d => !d.IsSuppressed);
    }

    [Fact]
    public async Task The_warnings_stay_when_interceptors_are_off()
    {
        var diagnostics = await AnalyzeAsync("""app.UseExceptionHandler((InvalidOperationException e) => e.Message);""", interceptorsEnabled: false);

        diagnostics.Where(d => d.Id is "IL2026" or "IL3050").ShouldAllBe(d => !d.IsSuppressed);
    }

    [Fact]
    public async Task A_warning_inside_the_handler_is_not_suppressed()
    {
        var diagnostics = await AnalyzeAsync("""
            app.UseExceptionHandler((InvalidOperationException e) => Describe(e));
            [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("x")] static string Describe(object o) => o.ToString()!;
            """);

        var inside = diagnostics.Where(d => d.Id == "IL2026" && d.GetMessage(null).Contains("Describe", StringComparison.Ordinal)).ShouldHaveSingleItem();
        inside.IsSuppressed.ShouldBeFalse();
        diagnostics.Where(d => d.Id == "IL2026" && d.GetMessage(null).Contains("UseExceptionHandler", StringComparison.Ordinal)).ShouldAllBe(d => d.IsSuppressed);
    }

    // A stand-in run in memory by this test only, never loaded by a compiler: the rules for shipped analyzers do not apply.
#pragma warning disable RS1036, RS1041, RS2008
    /// <summary>Reports IL2026 and IL3050 on each call of a method marked RequiresUnreferencedCode, as the IL analyzer does.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class RequiresUnreferencedCodeStandIn : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor s_unreferenced = new("IL2026", "RUC", "Using member '{0}' which has 'RequiresUnreferencedCodeAttribute'", "Trimming", DiagnosticSeverity.Warning, true);
        private static readonly DiagnosticDescriptor s_dynamic = new("IL3050", "RDC", "Using member '{0}' which has 'RequiresDynamicCodeAttribute'", "AOT", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_unreferenced, s_dynamic];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(static node =>
            {
                if (node.SemanticModel.GetSymbolInfo(node.Node).Symbol is not IMethodSymbol method)
                {
                    return;
                }

                var attributes = (method.ReducedFrom ?? method).GetAttributes().Select(a => a.AttributeClass?.Name).ToList();
                if (attributes.Contains("RequiresUnreferencedCodeAttribute"))
                {
                    node.ReportDiagnostic(Diagnostic.Create(s_unreferenced, node.Node.GetLocation(), method.Name));
                }

                if (attributes.Contains("RequiresDynamicCodeAttribute"))
                {
                    node.ReportDiagnostic(Diagnostic.Create(s_dynamic, node.Node.GetLocation(), method.Name));
                }
            }, SyntaxKind.InvocationExpression);
        }
    }
#pragma warning restore RS1036, RS1041, RS2008
}
