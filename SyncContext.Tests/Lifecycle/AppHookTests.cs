using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncContext.Tests.Lifecycle;

public class AppHookTests
{
    [Fact]
    public async Task Before_serving_hook_finishes_before_Kestrel_accepts_a_connection()
    {
        using var gate = new ManualResetEventSlim();
        var hookThread = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = FreePort();
        await using var app = BuildKestrelApp(port);
        app.UseBeforeServing((IAppContext application) =>
        {
            hookThread.SetResult(Thread.CurrentThread.Name);
            gate.Wait(TestHosts.HangGuard);
        });
        app.MapGet("/", () => "serving");

        var start = app.StartAsync();
        (await hookThread.Task.WaitAsync(TestHosts.HangGuard)).ShouldNotBeNull().ShouldStartWith("SyncContext #");

        // The hook is still running: nothing listens on the port yet.
        using (var probe = new TcpClient())
        {
            await Should.ThrowAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        }

        start.IsCompleted.ShouldBeFalse();
        gate.Set();
        await start.WaitAsync(TestHosts.HangGuard);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        (await client.GetStringAsync("/")).ShouldBe("serving");
        await app.StopAsync();
    }

    [Fact]
    public async Task Before_serving_hook_that_throws_stops_start_up_with_its_exception_and_nothing_is_served()
    {
        var port = FreePort();
        await using var app = BuildKestrelApp(port);
        app.UseBeforeServing(void () => throw new InvalidDataException("migration failed"));
        app.MapGet("/", () => "serving");

        var failure = await Should.ThrowAsync<InvalidDataException>(() => app.StartAsync());

        failure.Message.ShouldBe("migration failed");
        using var probe = new TcpClient();
        await Should.ThrowAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task After_serving_then_teardown_run_on_the_executor_after_the_in_flight_request_finished()
    {
        using var gate = new ManualResetEventSlim();
        var order = new ConcurrentQueue<string>();
        var port = FreePort();
        await using var app = BuildKestrelApp(port);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.MapGet("/slow", () =>
        {
            started.SetResult();
            gate.Wait(TestHosts.HangGuard);
            order.Enqueue("request finished");
            return "finished";
        }).OffloadSync();
        app.UseAfterServing((IAppContext application, CancellationToken shutdown) =>
            order.Enqueue($"after serving on {Thread.CurrentThread.Name?[..12]}, stopping {application.Stopping.IsCancellationRequested}"));
        app.UseTeardownAppContext(() => order.Enqueue($"teardown on {Thread.CurrentThread.Name?[..12]}"));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var request = client.GetStringAsync("/slow");
        await started.Task.WaitAsync(TestHosts.HangGuard);
        var stop = app.StopAsync();
        order.ShouldBeEmpty();
        gate.Set();
        (await request.WaitAsync(TestHosts.HangGuard)).ShouldBe("finished");
        await stop.WaitAsync(TestHosts.HangGuard);

        order.ShouldBe(["request finished", "after serving on SyncContext , stopping True", "teardown on SyncContext "]);
    }

    [Fact]
    public async Task After_serving_hook_that_throws_is_logged_and_teardown_still_runs()
    {
        var logs = new ErrorHandling.LogSink();
        var tornDown = false;
        var host = await TestHosts.StartAsync(
            app =>
            {
                app.UseAfterServing(void () => throw new InvalidOperationException("after serving failed"));
                app.UseTeardownAppContext(() => tornDown = true);
            },
            services: builder => builder.Logging.AddProvider(logs));

        await host.StopAsync();
        await host.DisposeAsync();

        tornDown.ShouldBeTrue();
        logs.Entries.ShouldContain(entry => entry.EventName == "AppHookFailed" && entry.Exception!.Message == "after serving failed");
    }

    [Fact]
    public async Task Before_first_request_runs_once_on_the_executor_and_concurrent_first_requests_wait_for_it()
    {
        using var gate = new ManualResetEventSlim();
        var runs = 0;
        string? thread = null;
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseBeforeFirstRequest((IAppContext application) =>
            {
                Interlocked.Increment(ref runs);
                thread = Thread.CurrentThread.Name;
                running.TrySetResult();
                gate.Wait(TestHosts.HangGuard);
            });
            app.MapGet("/", () => Volatile.Read(ref runs));
        });
        using var client = host.Server.CreateClient();

        var first = client.GetStringAsync("/");
        var second = client.GetStringAsync("/");
        await running.Task.WaitAsync(TestHosts.HangGuard);
        first.IsCompleted.ShouldBeFalse();
        second.IsCompleted.ShouldBeFalse();
        gate.Set();

        (await first.WaitAsync(TestHosts.HangGuard)).ShouldBe("1");
        (await second.WaitAsync(TestHosts.HangGuard)).ShouldBe("1");
        (await client.GetStringAsync("/")).ShouldBe("1");
        runs.ShouldBe(1);
        thread.ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Before_first_request_that_throws_fails_that_request_and_runs_again_on_the_next()
    {
        var runs = 0;
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseExceptionHandler((InvalidOperationException ex) => Results.Text(ex.Message, statusCode: 503));
            app.UseBeforeFirstRequest(() =>
            {
                if (Interlocked.Increment(ref runs) == 1)
                {
                    throw new InvalidOperationException("not ready");
                }
            });
            app.MapGet("/", () => "ready");
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/");
            _.StatusCodeShouldBe(503);
            _.ContentShouldBe("not ready");
        });
        for (var i = 0; i < 2; i++)
        {
            await host.Scenario(_ =>
            {
                _.Get.Url("/");
                _.ContentShouldBe("ready");
            });
        }

        runs.ShouldBe(2);
    }

    [Fact]
    public async Task Before_first_request_that_fails_before_it_first_awaits_runs_again_on_the_next()
    {
        // An async hook that throws at once fails its run synchronously: the gate must still let the next request retry.
        var runs = 0;
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseExceptionHandler((InvalidOperationException ex) => Results.Text(ex.Message, statusCode: 503));
            app.UseBeforeFirstRequest(Task () => Interlocked.Increment(ref runs) == 1
                ? throw new InvalidOperationException("not ready")
                : Task.CompletedTask);
            app.MapGet("/", () => "ready");
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/");
            _.StatusCodeShouldBe(503);
            _.ContentShouldBe("not ready");
        });
        await host.Scenario(_ =>
        {
            _.Get.Url("/");
            _.ContentShouldBe("ready");
        });

        runs.ShouldBe(2);
    }

    [Fact]
    public async Task App_hooks_cannot_bind_request_types()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            Should.Throw<InvalidOperationException>(() => app.UseBeforeServing((HttpContext context) => { }))
                .Message.ShouldContain("UseBeforeServing cannot bind the before-serving hook's parameter 'context' of type HttpContext: a before-serving hook runs outside any request");
            Should.Throw<InvalidOperationException>(() => app.UseBeforeFirstRequest((IRequestContext request) => { }))
                .Message.ShouldContain("'request'");
        });
    }

    private static WebApplication BuildKestrelApp(int port)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        var app = builder.Build();
        app.Urls.Add($"http://127.0.0.1:{port}");
        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
