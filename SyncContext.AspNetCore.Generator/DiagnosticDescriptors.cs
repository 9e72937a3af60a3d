using System;
using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Generator;

/// <summary>
/// Every diagnostic the generator reports. Ids are listed in AnalyzerReleases.*.md. Each one that says a handler is
/// not offloaded is a warning with the fix, located at the call. SYNCCTX003 (a <c>Delegate</c>-typed handler, an
/// info) is retired: such handlers are intercepted and the runtime decides. SYNCCTX002 (a sync handler not offloaded
/// because the Request Delegate Generator is on) is retired: the runtime offloads those handlers itself. Neither id is reused.
/// </summary>
/// <remarks>In the messages, {0} is the Map method and {1} names the handler (<see cref="Parsing.MapCallParser"/>).</remarks>
internal static class DiagnosticDescriptors
{
    private const string Category = "SyncContext";

    public static readonly DiagnosticDescriptor InterceptorsNotEnabled = new(
        id: "SYNCCTX001",
        title: "Interceptors are not enabled for SyncContext.Generated",
        messageFormat: "The {1} passed to {0} is not offloaded: the project's InterceptorsNamespaces does not include SyncContext.Generated. Add <InterceptorsNamespaces>$(InterceptorsNamespaces);SyncContext.Generated</InterceptorsNamespaces> to the project, or add .OffloadSync() to the endpoint or its group.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RoutePatternNotSupported = new(
        id: "SYNCCTX004",
        title: "Synchronous handler mapped with a RoutePattern is not offloaded",
        messageFormat: "The {1} passed to {0} is not offloaded: SyncContext intercepts only the overloads that take a string pattern. Add .OffloadSync() to the endpoint or its group, or pass the pattern as a string.",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ExceptionHandlerBoundAtRunTime = new(
        id: "SYNCCTX005",
        title: "Exception handler bound by reflection at run time",
        messageFormat: "The handler passed to UseExceptionHandler is bound by reflection at run time, not at compile time: {0}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor HookBoundAtRunTime = new(
        id: "SYNCCTX006",
        title: "Hook bound by reflection at run time",
        messageFormat: "The delegate passed to {0} is bound by reflection at run time, not at compile time (trimming and native AOT warn about the call): {1}",
        category: Category,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "SYNCCTX001" => InterceptorsNotEnabled,
        "SYNCCTX004" => RoutePatternNotSupported,
        "SYNCCTX005" => ExceptionHandlerBoundAtRunTime,
        "SYNCCTX006" => HookBoundAtRunTime,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "Unknown SyncContext diagnostic id."),
    };
}
