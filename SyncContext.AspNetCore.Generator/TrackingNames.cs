namespace SyncContext.AspNetCore.Generator;

/// <summary>Names of the pipeline steps, so tests can check which ones an edit re-ran.</summary>
internal static class TrackingNames
{
    public const string Settings = nameof(Settings);
    public const string MapCalls = nameof(MapCalls);
    public const string InterceptableMapCalls = nameof(InterceptableMapCalls);
    public const string ExceptionHandlerCalls = nameof(ExceptionHandlerCalls);
    public const string InterceptableExceptionHandlers = nameof(InterceptableExceptionHandlers);
    public const string HookCalls = nameof(HookCalls);
    public const string InterceptableHooks = nameof(InterceptableHooks);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Interceptors = nameof(Interceptors);
}
