using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SyncContext.Tests.Context;

public class AppContextTests
{
    [Fact]
    public async Task App_context_describes_the_running_host()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Staging", ApplicationName = "SyncContext.Tests" });
        builder.Services.AddSyncContext();
        builder.Services.AddSingleton<SingletonMarker>();
        builder.Services.AddScoped<ScopedMarker>();
        await using var host = await AlbaHost.For(builder, app =>
            app.MapGet("/app", (IAppContext context, ScopedMarker scoped) => new
            {
                context.ApplicationName,
                context.EnvironmentName,
                RootSingleton = ReferenceEquals(context.Services.GetRequiredService<SingletonMarker>(), app.Services.GetRequiredService<SingletonMarker>()),
                NotTheRequestScope = !ReferenceEquals(context.Services.GetService<ScopedMarker>(), scoped),
            }).OffloadSync());

        var seen = await host.GetAsJson<AppSeen>("/app");

        seen.ShouldBe(new AppSeen("SyncContext.Tests", "Staging", true, true));
    }

    [Fact]
    public async Task App_context_Stopping_is_cancelled_when_the_host_stops()
    {
        await using var host = await TestHosts.StartAsync(_ => { });
        var context = host.Services.GetRequiredService<IAppContext>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        context.Stopping.ShouldBe(lifetime.ApplicationStopping);
        context.Stopping.IsCancellationRequested.ShouldBeFalse();
        context.ContentRootPath.ShouldBe(host.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);

        await host.StopAsync();

        context.Stopping.IsCancellationRequested.ShouldBeTrue();
    }

    private sealed record AppSeen(string ApplicationName, string EnvironmentName, bool RootSingleton, bool NotTheRequestScope);

    internal sealed class SingletonMarker;

    internal sealed class ScopedMarker;
}
