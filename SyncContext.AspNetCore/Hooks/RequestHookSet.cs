using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Hooks.WebSockets;

namespace SyncContext.AspNetCore.Hooks;

/// <summary>
/// The before-, after- and teardown-request hooks of one app or one endpoint, run around the rest of the
/// request with Quart's semantics. As in Quart, they do not run for WebSocket requests, which have their own hooks
/// (<see cref="WebSocketHookSet"/>). Hooks are added while the app is configured and only read afterwards.
/// </summary>
internal sealed class RequestHookSet
{
    private static readonly Func<object, Task> s_runAfter = static state => ((AfterHooks)state).RunOnceAsync();
    private static readonly Func<object, Task> s_runTeardown = static state => ((TeardownHooks)state).RunAsync();

    private readonly List<BoundHook> _before = [];
    private readonly List<BoundHook> _after = [];
    private readonly List<BoundHook> _teardown = [];
    private readonly IRunSync _executor;
    private readonly ILogger _logger;

    public RequestHookSet(IServiceProvider services)
    {
        _executor = services.GetRequiredService<IRunSync>();
        _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("SyncContext.AspNetCore.Hooks.RequestHooks");
    }

    public void AddBefore(BoundHook hook) => _before.Add(hook);

    public void AddAfter(BoundHook hook) => _after.Add(hook);

    public void AddTeardown(BoundHook hook) => _teardown.Add(hook);

    /// <summary>Runs the hooks around <paramref name="next"/>; a WebSocket request passes through (Quart runs its websocket hooks instead).</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
        => WebSocketRequests.Is(context) ? next(context) : InvokeForRequestAsync(context, next);

    private async Task InvokeForRequestAsync(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        TeardownHooks? teardown = null;
        if (_teardown.Count > 0)
        {
            // Registered before the after hooks: completion callbacks run last-registered first, so teardown runs last.
            teardown = new TeardownHooks(this, context);
            response.OnCompleted(s_runTeardown, teardown);
        }

        try
        {
            AfterHooks? after = null;
            if (_after.Count > 0 && !response.HasStarted)
            {
                // Whichever comes first: the response starting (a body being written or streamed), or the rest
                // of the request returning with nothing written yet.
                after = new AfterHooks(this, context);
                response.OnStarting(s_runAfter, after);
            }

            var shortCircuit = await RunBeforeAsync(context).ConfigureAwait(false);
            if (shortCircuit is not null)
            {
                Log.BeforeRequestShortCircuited(_logger, context.Request.Path.Value);
                await ResultWriter.WriteAsync(context, shortCircuit).ConfigureAwait(false);
            }
            else
            {
                await next(context).ConfigureAwait(false);
            }

            if (after is not null && !response.HasStarted)
            {
                await after.RunOnceAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (teardown is not null && teardown.Record(exception))
        {
            // Record() returns false: the exception passes on, stack untouched, to the error handlers.
            throw;
        }
    }

    /// <summary>Runs the before hooks in registration order; the first non-null result ends the request with it.</summary>
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

    /// <summary>The after hooks of one request, run once, last-registered first.</summary>
    private sealed class AfterHooks(RequestHookSet set, HttpContext context)
    {
        private int _started;

        public async Task RunOnceAsync()
        {
            if (Interlocked.Exchange(ref _started, 1) == 1)
            {
                return;
            }

            var invocation = HookInvocation.ForRequest(context);
            for (var i = set._after.Count - 1; i >= 0; i--)
            {
                await set._after[i].InvokeAsync(set._executor, invocation, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The teardown hooks of one request: always run, last-registered first, never throwing.</summary>
    private sealed class TeardownHooks(RequestHookSet set, HttpContext context)
    {
        // Read now: some servers have let go of the request's services by the time completion callbacks run.
        private readonly IServiceProvider _services = context.RequestServices;
        private Exception? _exception;

        public bool Record(Exception exception)
        {
            _exception ??= exception;
            return false;
        }

        public async Task RunAsync()
        {
            var invocation = new HookInvocation(context, _services, context.RequestAborted) { Exception = _exception };
            for (var i = set._teardown.Count - 1; i >= 0; i--)
            {
                var hook = set._teardown[i];
                try
                {
                    // No token: teardown runs even for a client that went away.
                    await hook.InvokeAsync(set._executor, invocation, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    Log.TeardownRequestHookFailed(set._logger, hook.Name, exception);
                }
            }
        }
    }
}
