using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace SyncContext.Tests.Sessions;

/// <summary>
/// Wraps the real store: records each call with its thread and the request the accessor sees (its <c>X-Call</c>
/// header), and throws for the calls the request names in its <c>X-Fail</c> header (<c>load</c>, <c>save</c>).
/// </summary>
internal sealed class ObservedSessionStore(ISyncSessionStore inner, IHttpContextAccessor accessor) : ISyncSessionStore, IDisposable
{
    public ConcurrentQueue<StoreCall> Calls { get; } = new();

    public byte[]? Load(string sessionKey)
    {
        Observe("load");
        return inner.Load(sessionKey);
    }

    public void Save(string sessionKey, byte[] data, TimeSpan idleTimeout)
    {
        Observe("save");
        inner.Save(sessionKey, data, idleTimeout);
    }

    public void Refresh(string sessionKey, TimeSpan idleTimeout)
    {
        Observe("refresh");
        inner.Refresh(sessionKey, idleTimeout);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private void Observe(string operation)
    {
        var request = accessor.HttpContext?.Request;
        Calls.Enqueue(new StoreCall(operation, Thread.CurrentThread.Name, request?.Headers["X-Call"].ToString()));
        if (request is not null && request.Headers["X-Fail"].ToString().Split(',').Contains(operation))
        {
            throw new InvalidOperationException($"The test store refuses to {operation}.");
        }
    }
}

internal sealed record StoreCall(string Operation, string? Thread, string? Call);
