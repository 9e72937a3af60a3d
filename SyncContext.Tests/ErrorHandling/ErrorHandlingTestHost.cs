using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.ErrorHandling;

/// <summary>Hosts for the error-handler tests: SyncContext registered and synchronous I/O off, as on Kestrel.</summary>
internal static class ErrorHandlingTestHost
{
    public static Task<IAlbaHost> Start(Action<WebApplication> configure, Action<IServiceCollection>? services = null, LogSink? logs = null, Action<SyncContextOptions>? options = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSyncContext(options);
        services?.Invoke(builder.Services);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        return AlbaHost.For(builder, app =>
        {
            // TestServer allows synchronous body I/O unless told otherwise; Kestrel does not.
            app.Use((context, next) =>
            {
                context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = false;
                return next(context);
            });
            configure(app);
        });
    }

    /// <summary>Throws from a named frame, so a test can check the stack trace survived the trip.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string ThrowFromEndpoint(Exception exception) => throw exception;
}

/// <summary>Keeps what was logged, for tests that check the log a user would see.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => sink.Entries.Enqueue(new LogEntry(category, logLevel, eventId.Name, exception));
    }
}

internal sealed record LogEntry(string Category, LogLevel Level, string? EventName, Exception? Exception);
