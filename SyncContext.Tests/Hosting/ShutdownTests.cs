using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Hosting;

public class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_lets_an_in_flight_offloaded_request_complete()
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(app => app.MapGet("/slow", () =>
        {
            gate.Wait(TestHosts.HangGuard);
            return "finished";
        }).OffloadSync());
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var request = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the request to be running");
        var stop = host.StopAsync();
        gate.Set();

        (await request.WaitAsync(TestHosts.HangGuard)).ShouldBe("finished");
        await stop.WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task Stopping_a_Kestrel_app_lets_an_in_flight_offloaded_request_complete()
    {
        using var gate = new ManualResetEventSlim();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        await using var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapGet("/slow", () =>
        {
            gate.Wait(TestHosts.HangGuard);
            return "finished";
        }).OffloadSync();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var executor = app.Services.GetRequiredService<SyncExecutor>();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var request = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the request to be running");
        var stop = app.StopAsync();
        stop.IsCompleted.ShouldBeFalse();
        gate.Set();

        (await request.WaitAsync(TestHosts.HangGuard)).ShouldBe("finished");
        await stop.WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task Request_still_queued_when_the_shutdown_timeout_runs_out_gets_503_with_Retry_After()
    {
        using var gate = new ManualResetEventSlim();
        var ranQueued = false;
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.MapGet("/slow", () =>
                {
                    gate.Wait(TestHosts.HangGuard);
                    return "finished";
                }).OffloadSync();
                app.MapGet("/queued", () => ranQueued = true).OffloadSync();
            },
            options: o =>
            {
                o.MaxThreads = 1;
                o.RetryAfter = TimeSpan.FromSeconds(3);
            });
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();
        var running = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the first request to be running");
        var queued = client.GetAsync("/queued");
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "the second request to be queued");

        // A cancelled token is a shutdown timeout that has already run out.
        await host.StopAsync(new CancellationToken(canceled: true)).WaitAsync(TestHosts.HangGuard);

        using var rejected = await queued.WaitAsync(TestHosts.HangGuard);
        ((int)rejected.StatusCode).ShouldBe(503);
        rejected.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(3));
        ranQueued.ShouldBeFalse();

        gate.Set();
        (await running.WaitAsync(TestHosts.HangGuard)).ShouldBe("finished");
    }
}
