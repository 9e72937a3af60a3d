using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Background;

/// <summary>
/// The <see cref="IBackgroundWork"/> of the app: admits items up to the limit, starts each one after its
/// request's response (or at once), runs it with a fresh scope, and lets shutdown wait for what is left.
/// </summary>
/// <remarks>
/// Measured on the <c>SyncContext</c> meter: <c>synccontext.background.completed</c> (failures tagged
/// <c>error.type</c>), <c>synccontext.background.rejected</c> and the <c>synccontext.background.pending</c> gauge.
/// </remarks>
internal sealed class BackgroundWorkQueue : IBackgroundWork
{
    private static readonly Func<object, Task> s_startAfterResponse = static state =>
    {
        var item = (Item)state;
        item.Queue.Start(item);
        return Task.CompletedTask;
    };

    private readonly ConcurrentDictionary<Item, byte> _outstanding = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IRunSync _executor;
    private readonly IServiceScopeFactory _scopes;
    private readonly IHttpContextAccessor _accessor;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<BackgroundWorkQueue> _logger;
    private readonly SyncContextMetrics? _metrics;
    private readonly int _limit;
    private int _count;
    private long _failed;
    private volatile bool _stopping;

    public BackgroundWorkQueue(
        IRunSync executor,
        IServiceScopeFactory scopes,
        IHttpContextAccessor accessor,
        IHostApplicationLifetime lifetime,
        IOptions<BackgroundWorkOptions> options,
        ILogger<BackgroundWorkQueue> logger,
        SyncContextMetrics? metrics = null)
    {
        _executor = executor;
        _scopes = scopes;
        _accessor = accessor;
        _lifetime = lifetime;
        _logger = logger;
        _metrics = metrics;
        _limit = options.Value.Limit;
        metrics?.ObserveBackground(() => Count);
    }

    /// <summary>How many items are queued or running.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>How many items have thrown.</summary>
    public long FailedCount => Interlocked.Read(ref _failed);

    public void Add(Action<IServiceProvider> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Admit(new Item(this, work, null));
    }

    public void Add(Func<IServiceProvider, CancellationToken, Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Admit(new Item(this, null, work));
    }

    /// <summary>Stops taking work and waits for what is queued or running, until <paramref name="cancellationToken"/>.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        try
        {
            await _drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var left = _outstanding.Keys.ToArray();
            Log.BackgroundWorkAbandoned(_logger, left.Length, left.Count(static item => item.Started), string.Join(", ", left.Select(static item => item.Name)));
        }
    }

    private void Admit(Item item)
    {
        if (_stopping)
        {
            _metrics?.BackgroundRejected(WorkRejectionReason.Stopping);
            throw new InvalidOperationException($"Background work '{item.Name}' was not added: the host is stopping.");
        }

        if (Interlocked.Increment(ref _count) > _limit)
        {
            Interlocked.Decrement(ref _count);
            _metrics?.BackgroundRejected(WorkRejectionReason.QueueFull);
            throw new InvalidOperationException(
                $"Background work '{item.Name}' was not added: {_limit} items are already queued or running, the limit set by BackgroundWorkOptions.Limit.");
        }

        _outstanding.TryAdd(item, 0);
        if (_accessor.HttpContext is { } context)
        {
            try
            {
                context.Response.OnCompleted(s_startAfterResponse, item);
                return;
            }
            catch (InvalidOperationException)
            {
                // The response has already completed (work added from a teardown hook, say): nothing to wait for.
            }
        }

        Start(item);
    }

    private void Start(Item item)
    {
        // The app's context, not the request's: the request is over, and its HttpContext may already serve another.
        using (ExecutionContext.SuppressFlow())
        {
            _ = RunAsync(item);
        }
    }

    private async Task RunAsync(Item item)
    {
        try
        {
            item.Started = true;
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                if (item.Sync is { } sync)
                {
                    await _executor.RunAsync(static state => state.Sync(state.Services), (Sync: sync, Services: scope.ServiceProvider)).ConfigureAwait(false);
                }
                else
                {
                    await item.Async!(scope.ServiceProvider, _lifetime.ApplicationStopping).ConfigureAwait(false);
                }
            }

            _metrics?.BackgroundCompleted(null);
        }
        catch (Exception exception)
        {
            Log.BackgroundWorkFailed(_logger, item.Name, exception);
            Interlocked.Increment(ref _failed);
            _metrics?.BackgroundCompleted(exception);
        }
        finally
        {
            _outstanding.TryRemove(item, out _);
            if (Interlocked.Decrement(ref _count) == 0 && _stopping)
            {
                _drained.TrySetResult();
            }
        }
    }

    private sealed class Item(BackgroundWorkQueue queue, Action<IServiceProvider>? sync, Func<IServiceProvider, CancellationToken, Task>? async)
    {
        public BackgroundWorkQueue Queue => queue;

        public Action<IServiceProvider>? Sync => sync;

        public Func<IServiceProvider, CancellationToken, Task>? Async => async;

        public string Name => ((Delegate?)sync ?? async)!.Method.Name;

        public bool Started { get; set; }
    }
}
