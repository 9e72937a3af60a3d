using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Hooks;

/// <summary>
/// The status-code handlers of one app pipeline, run by one middleware for responses that end with an error
/// status and no body, under the conditions ASP.NET Core's <c>StatusCodePagesMiddleware</c> uses.
/// </summary>
internal sealed class StatusCodeHandlerSet
{
    public static readonly HookSignature Signature = new("UseStatusCodeHandler", "status-code handler", HookArguments.Request | HookArguments.StatusCode);

    private static readonly ConditionalWeakTable<IApplicationBuilder, StatusCodeHandlerSet> s_apps = new();

    private readonly Dictionary<int, BoundHook> _byStatusCode = [];
    private readonly IRunSync _executor;
    private readonly ILogger _logger;
    private BoundHook? _catchAll;

    private StatusCodeHandlerSet(IServiceProvider services)
    {
        _executor = services.GetRequiredService<IRunSync>();
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("SyncContext.AspNetCore.Hooks.StatusCodeHandlers");
    }

    /// <summary>The app's set; the first call puts its middleware at this point of the pipeline.</summary>
    public static StatusCodeHandlerSet ForApp(IApplicationBuilder app)
    {
        if (s_apps.TryGetValue(app, out var set))
        {
            return set;
        }

        set = new StatusCodeHandlerSet(app.ApplicationServices);
        s_apps.Add(app, set);
        app.Use(next => context => set.InvokeAsync(context, next));
        return set;
    }

    public void Add(int? statusCode, BoundHook handler)
    {
        if (statusCode is { } code)
        {
            if (!_byStatusCode.TryAdd(code, handler))
            {
                throw new InvalidOperationException($"A status-code handler for {code} is already registered with UseStatusCodeHandler.");
            }
        }
        else
        {
            if (_catchAll is not null)
            {
                throw new InvalidOperationException("A catch-all status-code handler is already registered with UseStatusCodeHandler.");
            }

            _catchAll = handler;
        }
    }

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // The opt-out ASP.NET Core's status-code pages honour: MVC and others turn the feature off.
        var feature = new StatusCodePagesFeature();
        context.Features.Set<IStatusCodePagesFeature>(feature);

        await next(context).ConfigureAwait(false);

        var response = context.Response;
        if (!feature.Enabled
            || context.GetEndpoint()?.Metadata.GetMetadata<ISkipStatusCodePagesMetadata>() is not null
            || response.HasStarted
            || response.StatusCode < 400
            || response.StatusCode >= 600
            || response.ContentLength.HasValue
            || !string.IsNullOrEmpty(response.ContentType))
        {
            return;
        }

        var statusCode = response.StatusCode;
        if (!_byStatusCode.TryGetValue(statusCode, out var handler) && (handler = _catchAll) is null)
        {
            return;
        }

        var invocation = new HookInvocation(context, context.RequestServices, context.RequestAborted) { StatusCode = statusCode };
        var result = await handler.InvokeAsync(_executor, invocation, context.RequestAborted).ConfigureAwait(false);
        Log.StatusCodeHandled(_logger, statusCode, context.Request.Path.Value);
        await ResultWriter.WriteAsync(context, result).ConfigureAwait(false);
    }
}
