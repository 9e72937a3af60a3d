namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>Where the binder gets one argument of a synchronous exception handler from.</summary>
internal enum BinderSource
{
    /// <summary>The exception being handled.</summary>
    Exception,

    /// <summary>The failed request's <c>HttpContext</c>.</summary>
    HttpContext,

    /// <summary><c>HttpContext.RequestAborted</c>.</summary>
    CancellationToken,

    /// <summary>A service that must be registered (<c>GetRequiredService</c>); <c>IRequestContext</c> and <c>IAppContext</c> among them.</summary>
    RequiredService,

    /// <summary>A nullable service parameter (<c>GetService</c>).</summary>
    OptionalService,
}

/// <summary>One handler parameter: where it comes from and its fully qualified type.</summary>
internal readonly record struct BinderParameter(BinderSource Source, string Type);

/// <summary>
/// What the emitted binder needs to know about a handler: its delegate type (to call it without reflection),
/// the exception type it handles, its parameters in order, and whether it returns a value.
/// Calls with equal shapes share one interceptor.
/// </summary>
internal readonly record struct ExceptionHandlerShape(string DelegateType, string ExceptionType, EquatableArray<BinderParameter> Parameters, bool ReturnsVoid);

/// <summary>A <c>UseExceptionHandler(Delegate)</c> call with a synchronous handler the generator can bind.</summary>
internal readonly record struct ExceptionHandlerCall(ExceptionHandlerShape Shape, InterceptSite Site);

/// <summary>What the parser found at one <c>UseExceptionHandler</c> call.</summary>
internal readonly record struct ExceptionHandlerResult(ExceptionHandlerCall? Call, DiagnosticInfo? Diagnostic);
