using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Sessions;

/// <summary>
/// What ASP.NET Core's <c>DistributedSession</c> of one request reads and writes through: each call runs the
/// <see cref="ISyncSessionStore"/> on the executor, with the caller's context, through <see cref="IRunSync"/>.
/// </summary>
/// <remarks>
/// The synchronous members (<c>DistributedSession</c> calls <see cref="Get"/> when the app reads the session before
/// <c>LoadAsync</c>) take the same path and wait for it: from an executor thread, a sync handler's, the store runs
/// inline; from anywhere else the caller waits while the store runs on the executor, so the store always runs there.
/// A session whose key the middleware has just made up (no cookie came with the request) cannot be in the store, so
/// reading or refreshing it calls nothing: a request without a cookie that never writes the session costs no store call.
/// </remarks>
internal sealed class ExecutorSessionCache(
    ISyncSessionStore store,
    IRunSync executor,
    TimeSpan idleTimeout,
    bool isNewSessionKey,
    ILogger logger) : IDistributedCache
{
    private static readonly Func<(ISyncSessionStore Store, string Key), byte[]?> s_load = static s => s.Store.Load(s.Key);
    private static readonly Action<(ISyncSessionStore Store, string Key, byte[] Data, TimeSpan IdleTimeout)> s_save = static s => s.Store.Save(s.Key, s.Data, s.IdleTimeout);
    private static readonly Action<(ISyncSessionStore Store, string Key, TimeSpan IdleTimeout)> s_refresh = static s => s.Store.Refresh(s.Key, s.IdleTimeout);

    // Becomes false once this request has saved the session: from then on the store has it.
    private bool _unsaved = isNewSessionKey;

    // The synchronous members wait on the executor's task itself, never on an async continuation: a caller blocking a
    // thread-pool thread must not need another pool thread to be released.
    public byte[]? Get(string key)
    {
        if (_unsaved)
        {
            return null;
        }

        try
        {
            return executor.RunAsync(s_load, (store, key)).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (Report("load", key, exception))
        {
            throw;
        }
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        if (_unsaved)
        {
            return null;
        }

        try
        {
            return await executor.RunAsync(s_load, (store, key), token).ConfigureAwait(false);
        }
        catch (Exception exception) when (Report("load", key, exception))
        {
            throw;
        }
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            executor.RunAsync(s_save, (store, key, value, options.SlidingExpiration ?? idleTimeout)).GetAwaiter().GetResult();
            _unsaved = false;
        }
        catch (Exception exception) when (Report("save", key, exception))
        {
            throw;
        }
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            await executor.RunAsync(s_save, (store, key, value, options.SlidingExpiration ?? idleTimeout), token).ConfigureAwait(false);
            _unsaved = false;
        }
        catch (Exception exception) when (Report("save", key, exception))
        {
            throw;
        }
    }

    public void Refresh(string key)
    {
        if (_unsaved)
        {
            return;
        }

        try
        {
            executor.RunAsync(s_refresh, (store, key, idleTimeout)).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (Report("refresh", key, exception))
        {
            throw;
        }
    }

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        if (_unsaved)
        {
            return;
        }

        try
        {
            await executor.RunAsync(s_refresh, (store, key, idleTimeout), token).ConfigureAwait(false);
        }
        catch (Exception exception) when (Report("refresh", key, exception))
        {
            throw;
        }
    }

    // Logs a failure as the exception passes (an exception filter: the stack is not unwound) and lets it go on to
    // DistributedSession, which decides what it means: an unavailable session, or SessionMiddleware's commit error.
    private bool Report(string operation, string key, Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException:
                break;
            case WorkRejectedException rejected:
                Log.SessionWorkRejected(logger, operation, key, rejected.Reason);
                break;
            default:
                var storeName = store.GetType().Name;
                switch (operation)
                {
                    case "load":
                        Log.SessionLoadFailed(logger, storeName, key, exception);
                        break;
                    case "save":
                        Log.SessionSaveFailed(logger, storeName, key, exception);
                        break;
                    default:
                        Log.SessionRefreshFailed(logger, storeName, key, exception);
                        break;
                }

                break;
        }

        return false;
    }

    // DistributedSession never removes a session: an abandoned one expires.
    public void Remove(string key) => throw new NotSupportedException("Sessions are never removed from an ISyncSessionStore; they expire.");

    public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromException(new NotSupportedException("Sessions are never removed from an ISyncSessionStore; they expire."));
}
