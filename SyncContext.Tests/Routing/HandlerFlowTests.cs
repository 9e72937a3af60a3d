using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.ErrorHandling;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Routing;

/// <summary>
/// What an offloaded handler costs its request beyond the thread: it runs in the request's own execution context (no
/// marked copy per request), and a request aborted while its handler waits in the queue never runs the handler.
/// </summary>
public class HandlerFlowTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Offloaded_handler_runs_in_its_requests_own_execution_context_not_a_copy(bool throwToErrorHandler)
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            if (throwToErrorHandler)
            {
                SyncContextExceptionHandlers.Use<InvalidOperationException>(app, (context, _) => Describe(context));
            }

            // Captured right before the endpoint runs: nothing between here and the handler sets an async-local.
            app.Use(static (context, next) =>
            {
                context.Items["flow"] = ExecutionContext.Capture();
                return next(context);
            });
            app.MapGet("/flow", (HttpContext context) => throwToErrorHandler ? throw new InvalidOperationException() : Describe(context)).OffloadSync();
        });
        using var client = host.Server.CreateClient();

        var answer = await client.GetAsync(new Uri("/flow", UriKind.Relative));

        (await answer.Content.ReadAsStringAsync()).ShouldBe("SyncContext #|same flow");
    }

    [Fact]
    public async Task Request_aborted_while_its_handler_waits_in_the_queue_never_runs_the_handler()
    {
        using var gate = new ManualResetEventSlim();
        var calls = 0;
        await using var host = await TestHosts.StartAsync(
            app => app.MapGet("/slow", () =>
            {
                Interlocked.Increment(ref calls);
                gate.Wait(TestHosts.HangGuard);
                return "done";
            }).OffloadSync(),
            options: o => o.MaxThreads = 1);
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var running = client.GetStringAsync(new Uri("/slow", UriKind.Relative));
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the first request to occupy the worker");
        using var abort = new CancellationTokenSource();
        var aborted = client.GetAsync(new Uri("/slow", UriKind.Relative), abort.Token);
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "the second request to wait in the queue");
        await abort.CancelAsync();
        gate.Set();

        (await running.WaitAsync(TestHosts.HangGuard)).ShouldBe("done");
        await Should.ThrowAsync<OperationCanceledException>(() => aborted.WaitAsync(TestHosts.HangGuard));
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 0 && executor.RunningCount == 0, "the aborted item to be taken");
        calls.ShouldBe(1);

        // The worker is free again: the next request runs.
        (await client.GetStringAsync(new Uri("/slow", UriKind.Relative)).WaitAsync(TestHosts.HangGuard)).ShouldBe("done");
        calls.ShouldBe(2);
    }

    private static string Describe(HttpContext context)
        => $"{Thread.CurrentThread.Name?[..13]}|{(ReferenceEquals(context.Items["flow"], ExecutionContext.Capture()) ? "same flow" : "a copy")}";
}
