using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using SyncContext.AspNetCore.Generator.Model;
using SyncContext.AspNetCore.Generator.Parsing;

namespace SyncContext.AspNetCore.Generator.Reporting;

/// <summary>
/// Decides every diagnostic the generator reports (what the parsers found, and what the project settings forbid),
/// then reports them located in the compilation's own syntax trees, where <c>#pragma warning disable</c> and
/// <c>.editorconfig</c> severities apply.
/// </summary>
internal static class DiagnosticReporter
{
    public static EquatableArray<DiagnosticInfo> Collect(
        ImmutableArray<DiagnosticInfo> callDiagnostics,
        EquatableArray<MapCall> mapCalls,
        EquatableArray<ExceptionHandlerCall> exceptionHandlers,
        EquatableArray<HookCall> hooks,
        GeneratorSettings settings)
    {
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>(callDiagnostics.Length);
        diagnostics.AddRange(callDiagnostics);
        if (!settings.InterceptorsEnabled)
        {
            // An interceptor outside InterceptorsNamespaces is a compile error: say what is not offloaded instead.
            foreach (var call in mapCalls)
            {
                if (!call.CoveredByOffloadSync)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InterceptorsNotEnabled, call.Site.Location, Name(call.Method), call.Handler));
                }
            }

            foreach (var call in exceptionHandlers)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ExceptionHandlerBoundAtRunTime,
                    call.Site.Location,
                    $"the project's InterceptorsNamespaces does not include {SettingsReader.InterceptorsNamespace}."));
            }

            foreach (var call in hooks)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.HookBoundAtRunTime,
                    call.Site.Location,
                    call.Method.Name,
                    $"the project's InterceptorsNamespaces does not include {SettingsReader.InterceptorsNamespace}."));
            }
        }
        else if (settings.RequestDelegateGeneratorEnabled)
        {
            // ASP.NET Core's generator intercepts every Map call itself (a second interceptor is error CS9153), and the
            // runtime offloads each synchronous route handler when routing picks it (AutomaticOffloadPolicy), whatever
            // overload mapped it: nothing to report, RoutePattern overloads included.
            diagnostics.RemoveAll(static diagnostic => diagnostic.Id == DiagnosticDescriptors.RoutePatternNotSupported.Id);
        }

        return new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutable());
    }

    public static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics, Compilation compilation)
    {
        if (diagnostics.Count == 0)
        {
            return;
        }

        var trees = new Dictionary<string, SyntaxTree>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            trees[tree.FilePath] = tree;
        }

        foreach (var diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic(trees));
        }
    }

    public static string Name(MapMethod method) => method == MapMethod.MapFallbackWithoutPattern ? "MapFallback" : method.ToString();
}
