using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Routing;

public class QueueTimeTests
{
    [Fact]
    public async Task A_request_that_waited_past_MaxQueueTime_gets_503_with_Retry_After_and_its_handler_never_runs()
    {
        var clock = new FakeTimeProvider();
        using var gate = new ManualResetEventSlim();
        var calls = 0;
        await using var host = await StartAsync(
            clock,
            TimeSpan.FromSeconds(1),
            app => app.MapGet("/slow", () =>
            {
                Interlocked.Increment(ref calls);
                gate.Wait(TestHosts.HangGuard);
                return "done";
            }).OffloadSync());
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var running = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the first request to occupy the worker");
        var late = client.GetAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "the second request to wait in the queue");
        clock.Advance(TimeSpan.FromSeconds(2));
        gate.Set();

        using var answer = await late.WaitAsync(TestHosts.HangGuard);
        answer.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
        answer.Headers.GetValues("Retry-After").ShouldBe(["1"]);
        (await running.WaitAsync(TestHosts.HangGuard)).ShouldBe("done");
        calls.ShouldBe(1);
    }

    [Fact]
    public async Task A_request_whose_predicted_wait_exceeds_MaxQueueTime_gets_503_at_once_with_the_wait_as_Retry_After()
    {
        var clock = new FakeTimeProvider();
        using var gate = new ManualResetEventSlim();
        var calls = 0;
        var asyncCalls = 0;
        await using var host = await StartAsync(
            clock,
            TimeSpan.FromSeconds(5),
            app =>
            {
                app.MapGet("/timed", () => clock.Advance(TimeSpan.FromSeconds(3))).OffloadSync();
                app.MapGet("/slow", () =>
                {
                    Interlocked.Increment(ref calls);
                    gate.Wait(TestHosts.HangGuard);
                    return "done";
                }).OffloadSync();
                app.MapGet("/async", async (IRunSync run) => await run.RunAsync(() => Interlocked.Increment(ref asyncCalls)));
            });
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();
        await client.GetStringAsync("/timed").WaitAsync(TestHosts.HangGuard);
        await TestHosts.WaitUntilAsync(() => executor.Workers.Waits.MeanRunTime == TimeSpan.FromSeconds(3), "the executor to learn that an item takes 3 s");

        var running = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the first request to occupy the worker");
        var queued = client.GetStringAsync("/slow"); // 1 x 3 s ahead of it: within 5 s
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "the second request to wait in the queue");

        // 2 x 3 s: 6 s, refused before it waits; the same for IRunSync from an async handler.
        foreach (var url in new[] { "/slow", "/async" })
        {
            await host.Scenario(_ =>
            {
                _.Get.Url(url);
                _.StatusCodeShouldBe(503);
                _.Header("Retry-After").SingleValueShouldEqual("6");
            });
        }

        gate.Set();
        (await running.WaitAsync(TestHosts.HangGuard)).ShouldBe("done");
        (await queued.WaitAsync(TestHosts.HangGuard)).ShouldBe("done");
        calls.ShouldBe(2);
        asyncCalls.ShouldBe(0);
    }

    [Fact]
    public async Task Retry_After_is_never_below_the_configured_value()
    {
        var clock = new FakeTimeProvider();
        using var gate = new ManualResetEventSlim();
        await using var host = await StartAsync(
            clock,
            TimeSpan.FromMilliseconds(100),
            app =>
            {
                app.MapGet("/timed", () => clock.Advance(TimeSpan.FromMilliseconds(80))).OffloadSync();
                app.MapGet("/slow", () => gate.Wait(TestHosts.HangGuard)).OffloadSync();
            },
            retryAfter: TimeSpan.FromSeconds(4));
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();
        await client.GetStringAsync("/timed").WaitAsync(TestHosts.HangGuard);
        await TestHosts.WaitUntilAsync(() => executor.Workers.Waits.MeanRunTime > TimeSpan.Zero, "the executor to learn the run time");
        var running = client.GetAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the first request to occupy the worker");
        var queued = client.GetAsync("/slow"); // 80 ms ahead
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "the second request to wait in the queue");

        await host.Scenario(_ =>
        {
            _.Get.Url("/slow"); // 160 ms predicted: refused, but told to come back after the configured 4 s
            _.StatusCodeShouldBe(503);
            _.Header("Retry-After").SingleValueShouldEqual("4");
        });

        gate.Set();
        (await running.WaitAsync(TestHosts.HangGuard)).Dispose();
        (await queued.WaitAsync(TestHosts.HangGuard)).Dispose();
    }

    private static Task<IAlbaHost> StartAsync(FakeTimeProvider clock, TimeSpan maxQueueTime, Action<WebApplication> configure, TimeSpan? retryAfter = null)
        => TestHosts.StartAsync(
            configure,
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.SpinCount = 0;
                o.MaxQueueTime = maxQueueTime;
                o.RetryAfter = retryAfter ?? TimeSpan.FromSeconds(1);
            },
            services: b => b.Services.AddSingleton<TimeProvider>(clock));
}
