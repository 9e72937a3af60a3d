using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Hooks.WebSockets;

/// <summary>
/// The before-, after- and teardown-websocket hooks of one app or one endpoint, run around the rest of a WebSocket
/// request with Quart's semantics; other requests pass straight through. Hooks are added while the app is configured
/// and only read afterwards.
/// </summary>
/// <remarks>
/// A WebSocket request's "response" is the socket: it lasts until the handler returns. So the after hooks run when
/// the handler has returned (the socket's life is over, or the handler refused the upgrade), or, for an upgrade a
/// before hook refused, as that answer starts. The teardown hooks of every set run once all after hooks have, or
/// after the exception that ended the request, from the outermost set rather than in a completion callback.
/// </remarks>
internal sealed class WebSocketHookSet
{
    private readonly List<BoundHook> _before = [];
    private readonly List<BoundHook> _after = [];
    private readonly List<BoundHook> _teardown = [];
    private readonly IRunSync _executor;
    private readonly ILogger _logger;

    public WebSocketHookSet(IServiceProvider services)
    {
        _executor = services.GetRequiredService<IRunSync>();
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("SyncContext.AspNetCore.Hooks.WebSocketHooks");
    }

    public void AddBefore(BoundHook hook) => _before.Add(hook);

    public void AddAfter(BoundHook hook) => _after.Add(hook);

    public void AddTeardown(BoundHook hook) => _teardown.Add(hook);

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
        => WebSocketRequests.Is(context) ? InvokeForWebSocketAsync(context, next) : next(context);

    private async Task InvokeForWebSocketAsync(HttpContext context, RequestDelegate next)
    {
        // The outermost set (the app's, or the first group's) runs every set's teardown hooks at the very end, so
        // that, as in Quart, all after hooks run before any teardown hook; an inner set only enlists its own.
        var teardown = context.Features.Get<WebSocketTeardown>();
        var owner = teardown is null;
        if (owner)
        {
            teardown = new WebSocketTeardown();
            context.Features.Set(teardown);
        }

        if (_teardown.Count > 0)
        {
            teardown!.Enlist(this);
        }

        try
        {
            var rejection = await RunBeforeAsync(context).ConfigureAwait(false);
            if (rejection is not null)
            {
                // Quart's before_websocket returning a response: the upgrade is refused with it, and the after
                // hooks may still change that answer, so they run as it starts (or after it, if it has no body).
                Log.BeforeWebSocketRejected(_logger, context.Request.Path.Value);
                var after = new RunOnce(this, context);
                context.Response.OnStarting(static state => ((RunOnce)state).RunAsync(), after);
                await ResultWriter.WriteAsync(context, rejection).ConfigureAwait(false);
                await after.RunAsync().ConfigureAwait(false);
            }
            else
            {
                await next(context).ConfigureAwait(false);
                await RunAfterAsync(context).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (teardown!.Record(exception))
        {
            // Record() returns false: the exception passes on, stack untouched.
            throw;
        }
        finally
        {
            if (owner)
            {
                await teardown!.RunAsync(context).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs the after hooks, last-registered first.</summary>
    private async Task RunAfterAsync(HttpContext context)
    {
        var invocation = HookInvocation.ForRequest(context);
        for (var i = _after.Count - 1; i >= 0; i--)
        {
            // Not cancelled by the client's going away: by now it usually has, with the socket's close.
            await _after[i].InvokeAsync(_executor, invocation, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the before hooks in registration order; the first non-null result refuses the upgrade with it.</summary>
    private async Task<object?> RunBeforeAsync(HttpContext context)
    {
        if (_before.Count == 0)
        {
            return null;
        }

        var invocation = HookInvocation.ForRequest(context);
        foreach (var hook in _before)
        {
            var result = await hook.InvokeAsync(_executor, invocation, context.RequestAborted).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }
        }

        return null;
    }

    /// <summary>Runs this set's teardown hooks, last-registered first; what one throws is logged, never thrown.</summary>
    private async Task RunTeardownAsync(HookInvocation invocation)
    {
        for (var i = _teardown.Count - 1; i >= 0; i--)
        {
            var hook = _teardown[i];
            try
            {
                await hook.InvokeAsync(_executor, invocation, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.TeardownWebSocketHookFailed(_logger, hook.Name, exception);
            }
        }
    }

    /// <summary>The after hooks of a refused upgrade: run once, when its answer starts or when it was written.</summary>
    private sealed class RunOnce(WebSocketHookSet set, HttpContext context)
    {
        private int _started;

        public Task RunAsync() => Interlocked.Exchange(ref _started, 1) == 0 ? set.RunAfterAsync(context) : Task.CompletedTask;
    }

    /// <summary>One WebSocket request's teardown: the sets that have teardown hooks, outermost first, and the failure.</summary>
    private sealed class WebSocketTeardown
    {
        private readonly List<WebSocketHookSet> _sets = [];
        private Exception? _failure;

        public void Enlist(WebSocketHookSet set) => _sets.Add(set);

        public bool Record(Exception exception)
        {
            _failure ??= exception;
            return false;
        }

        /// <summary>Innermost set first, as the request's teardown hooks run.</summary>
        public async Task RunAsync(HttpContext context)
        {
            var invocation = HookInvocation.ForRequest(context, _failure);
            for (var i = _sets.Count - 1; i >= 0; i--)
            {
                await _sets[i].RunTeardownAsync(invocation).ConfigureAwait(false);
            }
        }
    }
}
