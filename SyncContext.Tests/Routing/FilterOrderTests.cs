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
    /// The runtime convention rebuilds the request delegate once every filter is known, so a filter added after
    /// <c>OffloadSync()</c> runs where it would without it (on the request's thread), and an asynchronous one that
    /// yields does not move the handler off the executor.
    /// </summary>
    [Fact]
    public async Task Filters_added_after_a_runtime_OffloadSync_run_where_they_would_and_the_handler_stays_on_the_executor()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.MapGet("/after-sync", Where)
                .OffloadSync()
                .AddEndpointFilter((context, next) =>
                {
                    context.HttpContext.Response.Headers["X-Filter-Thread"] = Where();
                    return next(context);
                });
            app.MapGet("/after-async", Where).OffloadSync().AddEndpointFilter(AsyncFilter);
            var group = app.MapGroup("/g").OffloadSync().AddEndpointFilter(AsyncFilter);
            group.MapGet("/after-async", Where).AddEndpointFilter(AsyncFilter);
        });

        var afterSync = await host.Scenario(_ =>
        {
            _.Get.Url("/after-sync");
            _.Header("X-Filter-Thread").SingleValueShouldEqual("pool");
        });
        (await afterSync.ReadAsTextAsync()).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/after-async")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/g/after-async")).ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Filters_see_the_handlers_own_method_and_arguments()
    {
        static EndpointFilterDelegate Describe(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
        {
            var parameters = string.Join(",", factory.MethodInfo.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"));
            return async context =>
            {
                context.HttpContext.Response.Headers["X-Parameters"] = parameters;
                context.HttpContext.Response.Headers["X-Arguments"] = string.Join(",", context.Arguments);
                return await next(context);
            };
        }

        await using var host = await TestHosts.StartAsync(app =>
        {
            app.MapGet("/runtime/{id}", (int id, string? name) => $"{Where()}|{id}|{name}").AddEndpointFilterFactory(Describe).OffloadSync();
            SyncContextEndpoints.Map(app, "/generated/{id}", (int id, string? name) => $"{Where()}|{id}|{name}", ["GET"]).AddEndpointFilterFactory(Describe);
        });

        foreach (var url in new[] { "/runtime/7?name=tea", "/generated/7?name=tea" })
        {
            var result = await host.Scenario(_ =>
            {
                _.Get.Url(url);
                _.Header("X-Parameters").SingleValueShouldEqual("Int32 id,String name");
                _.Header("X-Arguments").SingleValueShouldEqual("7,tea");
            });
            (await result.ReadAsTextAsync()).ShouldMatch("^SyncContext #\\d+\\|7\\|tea$");
        }
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
