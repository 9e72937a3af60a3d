using Alba;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Mvc;

/// <summary>A request to an MVC endpoint while the executor's one worker is held and its queue is full.</summary>
internal static class Saturation
{
    /// <summary>Holds the one worker, requests <paramref name="url"/>, and expects a bodyless 503 with <c>Retry-After: 4</c>.</summary>
    public static async Task ExpectRefusedAsync(IAlbaHost host, string url)
    {
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var gate = new ManualResetEventSlim();
        var holding = executor.RunAsync(() => gate.Wait(TestHosts.HangGuard));
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the one worker to be held");

        try
        {
            var result = await host.Scenario(_ =>
            {
                _.Get.Url(url);
                _.StatusCodeShouldBe(503);
                _.Header("Retry-After").SingleValueShouldEqual("4");
                _.Header("Content-Type").ShouldNotBeWritten();
            });
            (await result.ReadAsTextAsync()).ShouldBeEmpty();
        }
        finally
        {
            gate.Set();
            await holding.WaitAsync(TestHosts.HangGuard);
        }
    }
}
