using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Routing;

public class FilterOrderTests
{
    private static string Where() => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed";

    private static async ValueTask<object?> AsyncFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        await Task.Yield();
        return await next(context);
    }

    private static ValueTask<object?> SyncFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Items["sync-filter-ran"] = true;
        return next(context);
    }

    [Fact]
    public async Task Handler_runs_on_the_executor_with_sync_and_async_filters_added_before_OffloadSync()
    {
        await using var host = await TestHosts.StartAsync(app =>
            app.MapGet("/filtered", (HttpContext http) => $"{Where()}|{http.Items.ContainsKey("sync-filter-ran")}")
                .AddEndpointFilter(SyncFilter)
                .AddEndpointFilter(AsyncFilter)
                .OffloadSync());

        (await host.GetAsText("/filtered")).ShouldMatch("^SyncContext #\\d+\\|True$");
    }

    [Fact]
    public async Task Handler_runs_on_the_executor_with_filters_on_the_group_before_OffloadSync()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            var group = app.MapGroup("/g").AddEndpointFilter(SyncFilter).AddEndpointFilter(AsyncFilter).OffloadSync();
            group.MapGet("/filtered", (HttpContext http) => $"{Where()}|{http.Items.ContainsKey("sync-filter-ran")}");
        });

        (await host.GetAsText("/g/filtered")).ShouldMatch("^SyncContext #\\d+\\|True$");
    }

    [Fact]
    public async Task Filters_before_OffloadSync_run_where_they_would_without_it()
    {
        await using var host = await TestHosts.StartAsync(app =>
            app.MapGet("/outer", () => "handler")
                .AddEndpointFilter((context, next) =>
                {
                    context.HttpContext.Response.Headers["X-Filter-Thread"] = Where();
                    return next(context);
                })
                .OffloadSync());

        await host.Scenario(_ =>
        {
            _.Get.Url("/outer");
            _.Header("X-Filter-Thread").ShouldHaveOneNonNullValue();
            _.Header("X-Filter-Thread").SingleValueShouldEqual("pool");
        });
    }

    /// <summary>
    /// Documents a limit of the runtime convention: filters run outermost-first in the order they were
    /// added, so a filter added after <c>OffloadSync()</c> runs inside the offloaded call. A synchronous
    /// one then runs on the worker too; an asynchronous one that truly yields resumes on the thread pool,
    /// so the handler runs on the pool while the worker waits for it. Add filters before <c>OffloadSync()</c>.
    /// </summary>
    [Fact]
    public async Task Filters_added_after_a_runtime_OffloadSync_run_inside_the_offload_and_an_async_one_moves_the_handler_off_the_executor()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.MapGet("/after-sync", () => "handler")
                .OffloadSync()
                .AddEndpointFilter((context, next) =>
                {
                    context.HttpContext.Response.Headers["X-Filter-Thread"] = Where();
                    return next(context);
                });
            app.MapGet("/after-async", Where).OffloadSync().AddEndpointFilter(AsyncFilter);
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/after-sync");
            _.Header("X-Filter-Thread").SingleValueShouldMatch("^SyncContext #\\d+$");
        });
        (await host.GetAsText("/after-async")).ShouldBe("pool");
    }

    [Fact]
    public async Task Generator_entry_point_keeps_the_handler_on_the_executor_whatever_filters_follow()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            SyncContextEndpoints.Map(app, "/x", Where, ["GET"]).AddEndpointFilter(AsyncFilter);
            var group = app.MapGroup("/g").AddEndpointFilter(AsyncFilter);
            SyncContextEndpoints.Map(group, "/x", Where, ["GET"]).AddEndpointFilter(AsyncFilter).AddEndpointFilter(SyncFilter);
        });

        (await host.GetAsText("/x")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/g/x")).ShouldStartWith("SyncContext #");
    }
}
