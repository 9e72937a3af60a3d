using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SyncContext.AspNetCore.Generator.Emitting;
using SyncContext.AspNetCore.Generator.Model;
using SyncContext.AspNetCore.Generator.Parsing;
using SyncContext.AspNetCore.Generator.Reporting;

namespace SyncContext.AspNetCore.Generator;

/// <summary>
/// Intercepts minimal-API <c>Map*</c> calls whose handler is synchronous, <c>UseExceptionHandler(Delegate)</c> calls, and
/// the hook methods' calls (<c>UseBeforeRequest</c>, <c>UseStatusCodeHandler</c>, ...), so that those handlers run on the
/// SyncContext executor with no change to the user's code, and hooks are bound at compile time rather than by reflection.
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

        var hookCalls = context.SyntaxProvider
            .CreateSyntaxProvider(HookCallParser.IsCandidate, HookCallParser.Parse)
            .Where(static result => result is not null)
            .Select(static (result, _) => result!.Value)
            .WithTrackingName(TrackingNames.HookCalls);

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

        var interceptableHooks = hookCalls
            .Where(static result => result.Call is not null)
            .Select(static (result, _) => result.Call!.Value)
            .Collect()
            .Select(static (calls, _) => calls.ToEquatableArray())
            .WithTrackingName(TrackingNames.InterceptableHooks);

        // Every diagnostic, decided from cached, equatable steps; only reporting them needs the compilation (to locate
        // them in its trees), so only that last output reruns on an unrelated edit, and the interceptors stay cached.
        var diagnostics = mapCalls
            .Where(static result => result.Diagnostic is not null)
            .Select(static (result, _) => result.Diagnostic!.Value)
            .Collect()
            .Combine(exceptionHandlerCalls
                .Where(static result => result.Diagnostic is not null)
                .Select(static (result, _) => result.Diagnostic!.Value)
                .Collect())
            .Combine(hookCalls
                .Where(static result => result.Diagnostic is not null)
                .Select(static (result, _) => result.Diagnostic!.Value)
                .Collect())
            .Combine(interceptableMapCalls)
            .Combine(interceptableExceptionHandlers)
            .Combine(interceptableHooks)
            .Combine(settings)
            .Select(static (pair, _) => DiagnosticReporter.Collect(
                pair.Left.Left.Left.Left.Left.Left.AddRange(pair.Left.Left.Left.Left.Left.Right).AddRange(pair.Left.Left.Left.Left.Right),
                pair.Left.Left.Left.Right,
                pair.Left.Left.Right,
                pair.Left.Right,
                pair.Right))
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(
            diagnostics.Combine(context.CompilationProvider),
            static (output, pair) => DiagnosticReporter.Report(output, pair.Left, pair.Right));

        var interceptors = interceptableMapCalls
            .Combine(interceptableExceptionHandlers)
            .Combine(interceptableHooks)
            .Combine(settings)
            .Select(static (pair, _) => new InterceptorsToEmit(pair.Left.Left.Left, pair.Left.Left.Right, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.Interceptors);

        context.RegisterSourceOutput(interceptors, static (output, toEmit) => Execute(output, toEmit));
    }

    private static void Execute(SourceProductionContext output, InterceptorsToEmit toEmit)
    {
        var (mapCalls, exceptionHandlers, hooks, settings) = toEmit;
        if (!settings.InterceptorsEnabled)
        {
            // DiagnosticReporter says what is not offloaded.
            return;
        }

        if (settings.RequestDelegateGeneratorEnabled)
        {
            // ASP.NET Core's generator intercepts every Map call itself (CS9153 for a second interceptor); the runtime
            // offloads those endpoints when routing picks them (AutomaticOffloadPolicy).
            mapCalls = EquatableArray<MapCall>.Empty;
        }

        if (mapCalls.Count == 0 && exceptionHandlers.Count == 0 && hooks.Count == 0)
        {
            return;
        }

        var source = InterceptorEmitter.Emit(mapCalls.AsImmutableArray(), exceptionHandlers.AsImmutableArray(), hooks.AsImmutableArray());
        output.AddSource(InterceptorEmitter.HintName, SourceText.From(source, Encoding.UTF8));
    }
}
