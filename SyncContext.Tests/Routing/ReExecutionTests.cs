using System.Collections.Concurrent;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SyncContext.Tests.Routing;

/// <summary>
/// Re-execution runs the error or status page's sync handler although the status is already 500 or 404: an
/// endpoint filter would have skipped it and left the body empty.
/// </summary>
public class ReExecutionTests
{
    private static Task<IAlbaHost> StartAsync(OffloadMode mode, ConcurrentQueue<string> threads) => TestHosts.StartAsync(app =>
    {
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        var map = new OffloadMapper(app, mode);
        map.MapGet("/boom", string () => throw new InvalidOperationException("it broke"));
        map.Map(null, "/error", (HttpContext http) =>
        {
            threads.Enqueue(Thread.CurrentThread.Name ?? "pool");
            return $"error page: {http.Features.Get<IExceptionHandlerFeature>()?.Error.Message}";
        });
        map.MapGet("/status/{code}", (int code) =>
        {
            threads.Enqueue(Thread.CurrentThread.Name ?? "pool");
            return Results.Text($"status page {code}", statusCode: code);
        });
    });

    [Theory]
    [InlineData(OffloadMode.Endpoint, "/boom")]
    [InlineData(OffloadMode.Group, "/boom")]
    [InlineData(OffloadMode.Generated, "/boom")]
    [InlineData(OffloadMode.Endpoint, "/missing")]
    [InlineData(OffloadMode.Group, "/missing")]
    [InlineData(OffloadMode.Generated, "/missing")]
    public async Task Re_executed_sync_handler_answers_as_without_the_package_and_runs_on_the_executor(OffloadMode mode, string url)
    {
        var plainThreads = new ConcurrentQueue<string>();
        var threads = new ConcurrentQueue<string>();
        await using var plain = await StartAsync(OffloadMode.None, plainThreads);
        await using var offloaded = await StartAsync(mode, threads);

        var without = await Observed.OfAsync(plain, _ => _.Get.Url(url));
        var with = await Observed.OfAsync(offloaded, _ => _.Get.Url(url));

        without.Body.ShouldBe(url == "/boom" ? "error page: it broke" : "status page 404");
        with.ShouldBe(without);
        threads.ShouldHaveSingleItem().ShouldStartWith("SyncContext #");
    }
}
