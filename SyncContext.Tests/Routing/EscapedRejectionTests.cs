using System.Collections.Concurrent;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Routing;

/// <summary>
/// A <see cref="WorkRejectedException"/> that escapes user code (<c>IRunSync</c> in an async handler or a
/// middleware) is answered with 503 and Retry-After, whatever error handling the app has; other exceptions are not.
/// </summary>
public class EscapedRejectionTests
{
    public enum ErrorHandling
    {
        None,
        ExceptionHandler,
        DeveloperPage,
    }

    private static Task<IAlbaHost> StartAsync(ErrorHandling errors, LogRecorder? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // In Development WebApplication adds the developer exception page itself.
            EnvironmentName = errors == ErrorHandling.DeveloperPage ? "Development" : "Production",
        });
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddSyncContext(o =>
        {
            o.MaxThreads = 1;
            o.MinThreads = 1;
            o.QueueLimit = 0;
            o.RetryAfter = TimeSpan.FromSeconds(3);
        });
        return AlbaHost.For(builder, app =>
        {
            if (errors == ErrorHandling.ExceptionHandler)
            {
                app.UseExceptionHandler("/error");
                app.Map("/error", () => "error page");
            }

            app.Use(async (context, next) =>
            {
                if (context.Request.Path == "/middleware")
                {
                    await context.RequestServices.GetRequiredService<IRunSync>().RunAsync(() => { });
                }

                await next(context);
            });
            app.MapGet("/middleware", () => "not reached");
            app.MapGet("/handler", async (IRunSync runSync) => await runSync.RunAsync(() => "not reached"));
            app.MapGet("/other", async Task<string> () =>
            {
                await Task.Yield();
                throw new InvalidOperationException("not a rejection");
            });
        });
    }

    private static async Task<(ManualResetEventSlim Gate, Task Holding)> SaturateAsync(IAlbaHost host)
    {
        var gate = new ManualResetEventSlim();
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        var holding = executor.RunAsync(() => gate.Wait(TestHosts.HangGuard));
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the one worker to be held");
        return (gate, holding);
    }

    [Theory]
    [InlineData(ErrorHandling.None, "/handler")]
    [InlineData(ErrorHandling.None, "/middleware")]
    [InlineData(ErrorHandling.ExceptionHandler, "/handler")]
    [InlineData(ErrorHandling.ExceptionHandler, "/middleware")]
    [InlineData(ErrorHandling.DeveloperPage, "/handler")]
    [InlineData(ErrorHandling.DeveloperPage, "/middleware")]
    public async Task Rejection_escaping_user_code_is_answered_with_503_and_Retry_After(ErrorHandling errors, string url)
    {
        await using var host = await StartAsync(errors);
        var (gate, holding) = await SaturateAsync(host);
        try
        {
            var result = await host.Scenario(_ =>
            {
                _.Get.Url(url);
                _.StatusCodeShouldBe(503);
                _.Header("Retry-After").SingleValueShouldEqual("3");
            });
            (await result.ReadAsTextAsync()).ShouldBeEmpty();
        }
        finally
        {
            gate.Set();
            await holding.WaitAsync(TestHosts.HangGuard);
            gate.Dispose();
        }
    }

    [Fact]
    public async Task Rejection_answered_by_UseExceptionHandler_is_not_logged_as_an_unhandled_error()
    {
        var logs = new LogRecorder();
        await using var host = await StartAsync(ErrorHandling.ExceptionHandler, logs);
        var (gate, holding) = await SaturateAsync(host);
        try
        {
            await host.Scenario(_ =>
            {
                _.Get.Url("/handler");
                _.StatusCodeShouldBe(503);
            });
        }
        finally
        {
            gate.Set();
            await holding.WaitAsync(TestHosts.HangGuard);
            gate.Dispose();
        }

        logs.Entries.ShouldNotContain(e => e.Level >= LogLevel.Error && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ErrorHandling.ExceptionHandler, 500, "error page")]
    [InlineData(ErrorHandling.DeveloperPage, 500, "InvalidOperationException")]
    public async Task Other_exceptions_are_handled_as_without_the_package(ErrorHandling errors, int status, string body)
    {
        await using var host = await StartAsync(errors);

        var seen = await Observed.OfAsync(host, _ => _.Get.Url("/other"));

        seen.Status.ShouldBe(status);
        seen.Body.ShouldContain(body);
    }

    [Fact]
    public async Task Other_exceptions_without_error_handling_still_reach_the_server()
    {
        await using var host = await StartAsync(ErrorHandling.None);

        var error = await Should.ThrowAsync<InvalidOperationException>(host.Server.CreateClient().GetAsync("/other"));

        error.Message.ShouldBe("not a rejection");
    }

    /// <summary>Records category, level and message of every log entry.</summary>
    internal sealed class LogRecorder : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogRecorder recorder, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
                => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => recorder.Entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
