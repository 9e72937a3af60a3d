namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>Everything the emitter writes into the one generated file, and what it reports instead when it may not.</summary>
internal readonly record struct InterceptorsToEmit(
    EquatableArray<MapCall> MapCalls,
    EquatableArray<ExceptionHandlerCall> ExceptionHandlers,
    EquatableArray<HookCall> Hooks,
    GeneratorSettings Settings);
