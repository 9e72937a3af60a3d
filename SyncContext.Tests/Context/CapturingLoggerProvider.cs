using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SyncContext.Tests.Context;

/// <summary>Records each message with the scopes active when it was logged and the thread it was logged on.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<(string Message, string Scopes, string? Thread)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            provider._scopes.ForEachScope(static (scope, list) => list.Add(scope?.ToString() ?? "null"), scopes);
            provider.Entries.Enqueue((formatter(state, exception), string.Join(" > ", scopes), Thread.CurrentThread.Name));
        }
    }
}
