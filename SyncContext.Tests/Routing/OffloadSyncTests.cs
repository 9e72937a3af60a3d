using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SyncContext.Tests.Routing;

public class OffloadSyncTests
{
    [Fact]
    public async Task Sync_handler_runs_on_a_SyncContext_thread()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSyncContext();
        await using var host = await AlbaHost.For(builder, app =>
        {
            app.MapGet("/where", () => Thread.CurrentThread.Name ?? "pool").OffloadSync();
            app.MapGet("/plain", () => Thread.CurrentThread.Name ?? "pool");
        });

        var offloaded = await host.GetAsText("/where");
        var plain = await host.GetAsText("/plain");

        offloaded.ShouldStartWith("SyncContext #");
        plain.ShouldNotStartWith("SyncContext");
    }
}
