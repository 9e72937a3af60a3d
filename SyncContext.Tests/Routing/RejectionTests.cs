using Alba;
using Microsoft.AspNetCore.Builder;
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
}
