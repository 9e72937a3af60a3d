using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Routing;

public class RejectionTests
{
    [Fact]
    public async Task Request_past_the_queue_limit_gets_503_with_Retry_After_and_the_waiting_requests_later_succeed()
    {
        using var gate = new ManualResetEventSlim();
        var calls = 0;
        await using var host = await TestHosts.StartAsync(
            app => app.MapGet("/slow", () =>
            {
                var call = Interlocked.Increment(ref calls);
                gate.Wait(TestHosts.HangGuard);
                return $"done {call}";
            }).OffloadSync(),
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.QueueLimit = 1;
                o.RetryAfter = TimeSpan.FromSeconds(7);
            });
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var running = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the first request to occupy the worker");
        var queued = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "the second request to wait in the queue");

        await host.Scenario(_ =>
        {
            _.Get.Url("/slow");
            _.StatusCodeShouldBe(503);
            _.Header("Retry-After").SingleValueShouldEqual("7");
        });

        gate.Set();
        (await running.WaitAsync(TestHosts.HangGuard)).ShouldBe("done 1");
        (await queued.WaitAsync(TestHosts.HangGuard)).ShouldBe("done 2");
        calls.ShouldBe(2);
    }

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Group)]
    [InlineData(OffloadMode.Generated)]
    public async Task Rejected_handler_is_a_plain_503_that_user_middleware_never_sees_as_an_exception(OffloadMode mode)
    {
        var seenByMiddleware = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.Use(async (context, next) =>
                {
                    try
                    {
                        await next(context);
                    }
                    catch (Exception exception)
                    {
                        seenByMiddleware.Enqueue(exception);
                        throw;
                    }
                });
                var map = new OffloadMapper(app, mode);
                map.MapGet("/plain", () => "not reached");
                map.MapGet("/filtered", () => "not reached").AddEndpointFilter(async (context, next) =>
                {
                    await Task.Yield();
                    return await next(context);
                });
            },
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.QueueLimit = 0;
                o.RetryAfter = TimeSpan.FromSeconds(2);
            });
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        var holding = executor.RunAsync(() => gate.Wait(TestHosts.HangGuard));
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the one worker to be held");

        try
        {
            foreach (var url in new[] { "/plain", "/filtered" })
            {
                var result = await host.Scenario(_ =>
                {
                    _.Get.Url(url);
                    _.StatusCodeShouldBe(503);
                    _.Header("Retry-After").SingleValueShouldEqual("2");
                    _.Header("Content-Type").ShouldNotBeWritten();
                });
                (await result.ReadAsTextAsync()).ShouldBeEmpty();
            }
        }
        finally
        {
            gate.Set();
            await holding.WaitAsync(TestHosts.HangGuard);
        }

        seenByMiddleware.ShouldBeEmpty();
    }
}
