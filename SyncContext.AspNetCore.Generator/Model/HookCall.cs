namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>Where the emitted binder gets one argument of a hook from (what <c>HookInvocation</c> carries).</summary>
internal enum HookArgumentSource
{
    /// <summary><c>HttpContext</c>.</summary>
    HttpContext,

    /// <summary><c>HttpContext.Request</c>.</summary>
    HttpRequest,

    /// <summary><c>HttpContext.Response</c>.</summary>
    HttpResponse,

    /// <summary><c>HttpContext.User</c>.</summary>
    User,

    /// <summary>The invocation's token (the request's <c>RequestAborted</c>, or the host's for an app hook).</summary>
    CancellationToken,

    /// <summary>The exception the hook is about, as the parameter's type, or <see langword="null"/>.</summary>
    Exception,

    /// <summary>The status code, as <see cref="int"/>.</summary>
    StatusCode,

    /// <summary>The status code, as <c>System.Net.HttpStatusCode</c>.</summary>
    HttpStatusCode,

    /// <summary>A service that must be registered (checked when the hook is added); <c>IRequestContext</c> and <c>IAppContext</c> among them.</summary>
    RequiredService,

    /// <summary>A nullable service parameter.</summary>
    OptionalService,
}

/// <summary>One hook parameter: where it comes from, its fully qualified type, and its name (for the start-up check's message).</summary>
internal readonly record struct HookParameter(HookArgumentSource Source, string Type, string Name);

/// <summary>What a hook returns, which picks the runtime's <c>Bind</c> method.</summary>
internal enum HookReturn
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>
/// What the emitted binder needs to call a hook without reflection: its delegate type, its parameters in order, and what
/// it returns (<paramref name="ResultType"/>: <c>T</c> of <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>). Hooks with equal
/// shapes share one binder, whichever hook method they are given to.
/// </summary>
internal readonly record struct HookShape(string DelegateType, EquatableArray<HookParameter> Parameters, HookReturn Return, string? ResultType);

/// <summary>
/// A hook method the generator intercepts: its name (the interceptor's and the runtime entry's), whether its receiver is
/// an endpoint or group builder (a generic <c>Add...</c> method) and whether it takes a status code before the delegate.
/// </summary>
internal readonly record struct HookMethod(string Name, bool OnEndpoints, bool TakesStatusCode);

/// <summary>A hook method call whose delegate the generator can bind.</summary>
internal readonly record struct HookCall(HookMethod Method, HookShape Shape, InterceptSite Site);

/// <summary>What the parser found at one hook method call.</summary>
internal readonly record struct HookCallResult(HookCall? Call, DiagnosticInfo? Diagnostic);
