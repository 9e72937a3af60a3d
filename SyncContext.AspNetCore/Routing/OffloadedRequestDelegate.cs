using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// Builds the request delegate of an offloaded endpoint: the one function behind both the generator's entry point
/// (<see cref="SyncContextEndpoints"/>) and the runtime <c>OffloadSync()</c> convention.
/// </summary>
/// <remarks>
/// <para>
/// Why a typed wrapper and not an endpoint filter: any filter puts ASP.NET Core's request delegate factory (RDF) on
/// its filtered path, which skips the handler once the status is 400 or more (re-execution by
/// <c>UseExceptionHandler("/error")</c> and <c>UseStatusCodePagesWithReExecute</c> then gives an empty body), writes a
/// <see langword="null"/> string or <see cref="IResult"/> as JSON <c>null</c>, turns struct binding failures into
/// 500, and reaches the executor even when binding failed. Here RDF is given, for the same metadata result it
/// inferred from the user's method, a wrapper with the same parameter types that returns <see cref="Task{TResult}"/>
/// (<see cref="Offloader{TResult}"/>). RDF's cached factory context holds the argument bindings of the original
/// parameters, so it builds its usual unfiltered delegate: the same binding and 400s before the wrapper is called,
/// the same result writer (that of <c>TResult</c>), no metadata added twice. Only the handler body changes thread.
/// </para>
/// <para>
/// Filters still see the user's method: while RDF builds, each filter factory is handed a context whose
/// <see cref="EndpointFilterFactoryContext.MethodInfo"/> is the original one (validation reads its parameters). With
/// filters, RDF takes its filtered path exactly as it would without SyncContext, and they run where they would.
/// </para>
/// </remarks>
internal static class OffloadedRequestDelegate
{
    /// <summary>The most parameters a handler may have to be offloaded: <see cref="Func{T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult}"/>'s.</summary>
    public const int MaxParameters = 16;

    internal const string TrimmingWarning = "Builds the endpoint's request delegate by reflection, as MapGet does.";

    private static readonly Type[] s_arities =
    [
        typeof(OffloadedHandler<>), typeof(OffloadedHandler<,>), typeof(OffloadedHandler<,,>), typeof(OffloadedHandler<,,,>),
        typeof(OffloadedHandler<,,,,>), typeof(OffloadedHandler<,,,,,>), typeof(OffloadedHandler<,,,,,,>), typeof(OffloadedHandler<,,,,,,,>),
        typeof(OffloadedHandler<,,,,,,,,>), typeof(OffloadedHandler<,,,,,,,,,>), typeof(OffloadedHandler<,,,,,,,,,,>), typeof(OffloadedHandler<,,,,,,,,,,,>),
        typeof(OffloadedHandler<,,,,,,,,,,,,>), typeof(OffloadedHandler<,,,,,,,,,,,,,>), typeof(OffloadedHandler<,,,,,,,,,,,,,,>), typeof(OffloadedHandler<,,,,,,,,,,,,,,,>),
        typeof(OffloadedHandler<,,,,,,,,,,,,,,,,>),
    ];

    // Endpoints whose offload is decided (built here, or left inline with a warning), so that a later OffloadSync()
    // on the endpoint or a group does not build them again. Not endpoint metadata: that stays as without SyncContext.
    private static readonly ConditionalWeakTable<EndpointBuilder, object> s_decided = [];

    /// <summary>
    /// Creates the request delegate for <paramref name="handler"/>: RDF's own, untouched, for an asynchronous handler;
    /// otherwise RDF's delegate over the typed wrapper, answering a rejection with 503.
    /// </summary>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static RequestDelegateResult Create(Delegate handler, RequestDelegateFactoryOptions options, RequestDelegateMetadataResult? metadata)
    {
        var method = handler.Method;
        if (OffloadChecks.IsAwaitable(method.ReturnType))
        {
            return RequestDelegateFactory.Create(handler, options, metadata);
        }

        var services = options.ServiceProvider ?? options.EndpointBuilder?.ApplicationServices
            ?? throw new InvalidOperationException(OffloadChecks.MissingRegistrationMessage);
        var runtime = OffloadRuntime.From(services, options.EndpointBuilder?.Metadata, options.EndpointBuilder?.DisplayName, (options.EndpointBuilder as RouteEndpointBuilder)?.RoutePattern);
        if (options.EndpointBuilder is { } endpoint)
        {
            MarkDecided(endpoint);
        }

        // Inferred from the user's method, never from the wrapper's: RDF binds from the cached context it holds.
        metadata ??= RequestDelegateFactory.InferMetadata(method, options);
        if (IsOptedOut(handler, options.EndpointBuilder) || !CanOffload(handler.Method, handler.Target, services, options.EndpointBuilder?.DisplayName))
        {
            return RequestDelegateFactory.Create(handler, options, metadata);
        }

        var hasFilters = options.EndpointBuilder?.FilterFactories.Count > 0;
        var built = CreateWithOriginalMethodForFilters(Wrap(handler, runtime, hasFilters), method, options, metadata);
        var inner = built.RequestDelegate;
        var rejections = runtime.Rejections;

        // A rejected handler is known at once, and RDF's delegate then completes at once, failed: answered here with
        // no await, so the common path allocates nothing more (an await would cost a 128-byte box per request).
        // Behind a filter that yields, the rejection comes late: awaited, so filters' endpoints pay that box. The one
        // other late rejection, work abandoned at shutdown, reaches the same RejectionAnswer further out.
        RequestDelegate offloaded = hasFilters
            ? context => rejections.AnswerAsync(inner(context), context)
            : context => rejections.AnswerIfFailed(inner(context), context);
        if (options.EndpointBuilder is { } builder)
        {
            builder.RequestDelegate = offloaded;
        }

        return new RequestDelegateResult(offloaded, built.EndpointMetadata);
    }

    /// <summary>
    /// Whether the handler is kept inline on the request thread: <see cref="DisableOffloadSyncAttribute"/> on its method or
    /// in the endpoint's metadata (<c>.DisableOffloadSync()</c> on it or a group), which wins over every offload.
    /// </summary>
    public static bool IsOptedOut(Delegate handler, EndpointBuilder? endpoint)
        => handler.Method.IsDefined(typeof(DisableOffloadSyncAttribute), inherit: false)
           || (endpoint is not null && DisableOffloadSyncAttribute.IsIn(endpoint.Metadata));

    /// <summary>Gets whether this endpoint's offload was already built or declined.</summary>
    public static bool IsDecided(EndpointBuilder endpoint) => s_decided.TryGetValue(endpoint, out _);

    /// <summary>Records that this endpoint's offload is built or declined.</summary>
    public static void MarkDecided(EndpointBuilder endpoint) => s_decided.AddOrUpdate(endpoint, s_decided);

    /// <summary>
    /// Whether the wrapper can take this handler's shape; if not, the endpoint stays inline, with a warning when the
    /// user can fix it.
    /// </summary>
    public static bool CanOffload(MethodInfo method, object? target, IServiceProvider services, string? displayName)
    {
        var parameters = method.GetParameters();
        if (parameters.Length > MaxParameters)
        {
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(OffloadedRequestDelegate)) ?? NullLogger.Instance;
            Log.TooManyParametersToOffload(logger, displayName ?? method.Name, parameters.Length, MaxParameters);
            return false;
        }

        // Shapes RDF itself refuses, or that cannot be type arguments: RDF reports them as it would without SyncContext.
        return !(method.IsStatic && target is not null)
            && !IsUnsupported(method.ReturnType)
            && parameters.All(static p => !IsUnsupported(p.ParameterType));

        static bool IsUnsupported(Type type) => type.IsByRef || type.IsPointer || type.IsByRefLike || type.IsFunctionPointer;
    }

    /// <summary>
    /// The typed wrapper: a delegate over <c>OffloadedHandler&lt;..., TResult&gt;.Invoke</c> with the handler's parameter
    /// types. A string handler without filters gets <c>InvokeText</c>, which writes the text itself once the handler
    /// returned (see <see cref="Offloader{TResult}"/>); with filters RDF writes it after the filters, as without
    /// SyncContext, and the filters see the string, so the wrapper returns it.
    /// </summary>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static Delegate Wrap(Delegate handler, OffloadRuntime runtime, bool hasFilters)
    {
        var method = handler.Method;
        var parameters = method.GetParameters();
        var isVoid = method.ReturnType == typeof(void);
        Type[] typeArguments = [.. parameters.Select(static p => p.ParameterType), isVoid ? typeof(NoResult) : method.ReturnType];
        var funcType = Expression.GetFuncType(typeArguments);

        var typed = isVoid ? ReturningNoResult(handler, parameters, funcType) : Delegate.CreateDelegate(funcType, handler.Target, method);
        var offloadedType = s_arities[parameters.Length].MakeGenericType(typeArguments);
        var offloaded = Activator.CreateInstance(offloadedType, typed, runtime)!;
        var invoke = offloadedType.GetMethod(isVoid ? "InvokeVoid" : method.ReturnType == typeof(string) && !hasFilters ? "InvokeText" : "Invoke")!;

        Type[] wrapperSignature = [.. typeArguments[..^1], invoke.ReturnType];
        return invoke.CreateDelegate(Expression.GetFuncType(wrapperSignature), offloaded);
    }

    /// <summary>A void handler as a <c>Func&lt;..., NoResult&gt;</c>, compiled once at start-up.</summary>
    [RequiresDynamicCode(TrimmingWarning)]
    private static Delegate ReturningNoResult(Delegate handler, ParameterInfo[] parameters, Type funcType)
    {
        var arguments = parameters.Select(static p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var body = Expression.Block(Expression.Invoke(Expression.Constant(handler), arguments), Expression.Default(typeof(NoResult)));
        return Expression.Lambda(funcType, body, arguments).Compile();
    }

    /// <summary>
    /// Runs RDF with each filter factory handed the user's method rather than the wrapper's, then puts the factories back.
    /// </summary>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static RequestDelegateResult CreateWithOriginalMethodForFilters(Delegate wrapper, MethodInfo method, RequestDelegateFactoryOptions options, RequestDelegateMetadataResult metadata)
    {
        var factories = options.EndpointBuilder?.FilterFactories;
        if (factories is null || factories.Count == 0)
        {
            return RequestDelegateFactory.Create(wrapper, options, metadata);
        }

        var originals = factories.ToArray();
        for (var i = 0; i < originals.Length; i++)
        {
            var original = originals[i];
            factories[i] = (context, next) => original(new EndpointFilterFactoryContext { MethodInfo = method, ApplicationServices = context.ApplicationServices }, next);
        }

        try
        {
            return RequestDelegateFactory.Create(wrapper, options, metadata);
        }
        finally
        {
            for (var i = 0; i < originals.Length && i < factories.Count; i++)
            {
                factories[i] = originals[i];
            }
        }
    }
}
