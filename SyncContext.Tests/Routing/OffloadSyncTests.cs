using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SyncContext.Tests.Routing;

public class OffloadSyncTests
{
    private static string WhereAmI() => $"{Thread.CurrentThread.Name ?? "unnamed"}|pool={Thread.CurrentThread.IsThreadPoolThread}";

    [Fact]
    public async Task Sync_handler_runs_on_a_SyncContext_thread()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.MapGet("/where", () => Thread.CurrentThread.Name ?? "pool").OffloadSync();
            app.MapGet("/plain", () => Thread.CurrentThread.Name ?? "pool");
        });

        var offloaded = await host.GetAsText("/where");
        var plain = await host.GetAsText("/plain");

        offloaded.ShouldStartWith("SyncContext #");
        plain.ShouldNotStartWith("SyncContext");
    }

    [Fact]
    public async Task Offloaded_handler_is_not_on_a_thread_pool_thread()
    {
        await using var host = await TestHosts.StartAsync(app => app.MapGet("/where", WhereAmI).OffloadSync());

        var where = await host.GetAsText("/where");

        where.ShouldStartWith("SyncContext #");
        where.ShouldEndWith("pool=False");
    }

    [Fact]
    public async Task Handler_without_OffloadSync_runs_on_the_thread_pool()
    {
        await using var host = await TestHosts.StartAsync(app => app.MapGet("/where", WhereAmI));

        var where = await host.GetAsText("/where");

        where.ShouldEndWith("pool=True");
    }

    [Fact]
    public async Task Task_and_ValueTask_handlers_under_OffloadSync_stay_on_the_thread_pool()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.MapGet("/task", () => Task.FromResult(WhereAmI())).OffloadSync();
            app.MapGet("/valuetask", () => ValueTask.FromResult(WhereAmI())).OffloadSync();
            app.MapGet("/async", async () =>
            {
                await Task.Yield();
                return WhereAmI();
            }).OffloadSync();
        });

        (await host.GetAsText("/task")).ShouldEndWith("pool=True");
        (await host.GetAsText("/valuetask")).ShouldEndWith("pool=True");
        (await host.GetAsText("/async")).ShouldEndWith("pool=True");
    }

    [Fact]
    public async Task OffloadSync_on_a_group_offloads_its_sync_endpoints_only()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            var group = app.MapGroup("/g").OffloadSync();
            group.MapGet("/sync", WhereAmI);
            group.MapGet("/async", () => Task.FromResult(WhereAmI()));
        });

        (await host.GetAsText("/g/sync")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/g/async")).ShouldEndWith("pool=True");
    }

    [Fact]
    public async Task OffloadSync_twice_still_runs_the_handler_once_on_the_executor()
    {
        var calls = 0;
        await using var host = await TestHosts.StartAsync(app =>
        {
            var group = app.MapGroup("/g").OffloadSync();
            group.MapGet("/twice", () =>
            {
                Interlocked.Increment(ref calls);
                return WhereAmI();
            }).OffloadSync().OffloadSync();
        });

        (await host.GetAsText("/g/twice")).ShouldStartWith("SyncContext #");
        calls.ShouldBe(1);
    }
}
