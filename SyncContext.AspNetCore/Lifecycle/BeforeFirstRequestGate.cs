using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SyncContext.AspNetCore.Binding;

namespace SyncContext.AspNetCore.Lifecycle;

/// <summary>
/// Runs a before-first-request hook once: the first request starts it, every request that arrives meanwhile
/// waits for the same run. If it fails, the requests that waited fail with its exception and the next request
/// tries again.
/// </summary>
internal sealed class BeforeFirstRequestGate(BoundHook hook, IServiceProvider services)
{
    private readonly Lock _lock = new();
    private readonly IRunSync _executor = services.GetRequiredService<IRunSync>();
    private readonly CancellationToken _stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
    private Task? _run;
    private bool _done;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Volatile.Read(ref _done))
        {
            Task run;
            lock (_lock)
            {
                // Not the request's context nor its token: the hook is the app's, and one client leaving must not abort it.
                _run ??= RunOnceAsync();
                run = _run;
            }

            try
            {
                await run.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch when (run.IsFaulted || run.IsCanceled)
            {
                // The next request tries again. Cleared here, by identity, not inside the run: a hook that fails before
                // the run first awaits would otherwise clear the field before the failed run was stored in it.
                lock (_lock)
                {
                    if (ReferenceEquals(_run, run))
                    {
                        _run = null;
                    }
                }

                throw;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task RunOnceAsync()
    {
        Task run;
        using (ExecutionContext.SuppressFlow())
        {
            run = AppHooks.RunAsync(services, _executor, hook, _stopping);
        }

        await run.ConfigureAwait(false);
        Volatile.Write(ref _done, true);
    }
}
