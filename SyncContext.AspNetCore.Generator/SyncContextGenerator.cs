using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SyncContext.AspNetCore.Generator.Emitting;
using SyncContext.AspNetCore.Generator.Model;
using SyncContext.AspNetCore.Generator.Parsing;

namespace SyncContext.AspNetCore.Generator;

/// <summary>
/// Intercepts minimal-API <c>Map*</c> calls whose handler is synchronous, and <c>UseExceptionHandler(Delegate)</c>
/// calls, so that those handlers run on the SyncContext executor with no change to the user's code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SyncContextGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var settings = context.AnalyzerConfigOptionsProvider
            .Combine(context.ParseOptionsProvider)
            .Select(static (pair, _) => SettingsReader.Read(pair.Left.GlobalOptions, pair.Right))
            .WithTrackingName(TrackingNames.Settings);

        var mapCalls = context.SyntaxProvider
            .CreateSyntaxProvider(MapCallParser.IsCandidate, MapCallParser.Parse)
            .Where(static result => result is not null)
            .Select(static (result, _) => result!.Value)
            .WithTrackingName(TrackingNames.MapCalls);

        var exceptionHandlerCalls = context.SyntaxProvider
            .CreateSyntaxProvider(ExceptionHandlerParser.IsCandidate, ExceptionHandlerParser.Parse)
            .Where(static result => result is not null)
            .Select(static (result, _) => result!.Value)
            .WithTrackingName(TrackingNames.ExceptionHandlerCalls);

        // Diagnostics that depend on the call alone are reported from their own output.
        var callDiagnostics = mapCalls
            .Where(static result => result.Diagnostic is not null)
            .Select(static (result, _) => result.Diagnostic!.Value)
            .Collect()
            .Combine(exceptionHandlerCalls
                .Where(static result => result.Diagnostic is not null)
                .Select(static (result, _) => result.Diagnostic!.Value)
                .Collect())
            .Select(static (pair, _) => pair.Left.AddRange(pair.Right).ToEquatableArray())
            .WithTrackingName(TrackingNames.CallDiagnostics);

        context.RegisterSourceOutput(callDiagnostics, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var interceptableMapCalls = mapCalls
            .Where(static result => result.Call is not null)
            .Select(static (result, _) => result.Call!.Value)
            .Collect()
            .Select(static (calls, _) => calls.ToEquatableArray())
            .WithTrackingName(TrackingNames.InterceptableMapCalls);

        var interceptableExceptionHandlers = exceptionHandlerCalls
            .Where(static result => result.Call is not null)
            .Select(static (result, _) => result.Call!.Value)
            .Collect()
            .Select(static (calls, _) => calls.ToEquatableArray())
            .WithTrackingName(TrackingNames.InterceptableExceptionHandlers);

        var interceptors = interceptableMapCalls
            .Combine(interceptableExceptionHandlers)
            .Combine(settings)
            .Select(static (pair, _) => new InterceptorsToEmit(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.Interceptors);

        context.RegisterSourceOutput(interceptors, static (output, toEmit) => Execute(output, toEmit));
    }

    private static void Execute(SourceProductionContext output, InterceptorsToEmit toEmit)
    {
        var (mapCalls, exceptionHandlers, settings) = toEmit;
        if (!settings.InterceptorsEnabled)
        {
            // An interceptor outside InterceptorsNamespaces is a compile error: say what is not offloaded instead.
            foreach (var call in mapCalls)
            {
                output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.InterceptorsNotEnabled, call.Site.Location, Name(call.Method)).ToDiagnostic());
            }

            foreach (var call in exceptionHandlers)
            {
                output.ReportDiagnostic(DiagnosticInfo.Create(
                    DiagnosticDescriptors.ExceptionHandlerBoundAtRunTime,
                    call.Site.Location,
                    $"the project's InterceptorsNamespaces does not include {SettingsReader.InterceptorsNamespace}.").ToDiagnostic());
            }

            return;
        }

        if (settings.RequestDelegateGeneratorEnabled)
        {
            // ASP.NET Core's generator intercepts every Map call itself; a second interceptor is error CS9153.
            foreach (var call in mapCalls)
            {
                output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.RequestDelegateGeneratorEnabled, call.Site.Location, Name(call.Method)).ToDiagnostic());
            }

            mapCalls = EquatableArray<MapCall>.Empty;
        }

        if (mapCalls.Count == 0 && exceptionHandlers.Count == 0)
        {
            return;
        }

        var source = InterceptorEmitter.Emit(mapCalls.AsImmutableArray(), exceptionHandlers.AsImmutableArray());
        output.AddSource(InterceptorEmitter.HintName, SourceText.From(source, Encoding.UTF8));
    }

    private static string Name(MapMethod method) => method == MapMethod.MapFallbackWithoutPattern ? "MapFallback" : method.ToString();
}
