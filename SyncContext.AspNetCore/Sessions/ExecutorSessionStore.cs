using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Session;
using Microsoft.Extensions.Logging;

namespace SyncContext.AspNetCore.Sessions;

/// <summary>
/// The <see cref="ISessionStore"/> that <c>SessionMiddleware</c> asks for each request's session once
/// <c>AddSyncSessionStore</c> is called: ASP.NET Core's own <see cref="DistributedSession"/> (its format, its
/// lazy load, its logging and its failure rules), reading and writing through an <see cref="ExecutorSessionCache"/>.
/// </summary>
internal sealed class ExecutorSessionStore(ISyncSessionStore store, IRunSync executor, ILoggerFactory loggerFactory) : ISessionStore
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ExecutorSessionStore>();

    public ISession Create(string sessionKey, TimeSpan idleTimeout, TimeSpan ioTimeout, Func<bool> tryEstablishSession, bool isNewSessionKey)
    {
        var cache = new ExecutorSessionCache(store, executor, idleTimeout, isNewSessionKey, _logger);
        return new DistributedSession(cache, sessionKey, idleTimeout, ioTimeout, tryEstablishSession, loggerFactory, isNewSessionKey);
    }
}
