using System.Collections.Concurrent;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SyncContext.AspNetCore.Background;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.Tests.ErrorHandling;

namespace SyncContext.Tests.Background;

public class BackgroundWorkTests
{
    private static readonly AsyncLocal<string?> s_fromRequest = new();

    [Fact]
    public async Task Work_added_in_a_request_runs_after_the_response_on_the_executor_with_a_fresh_scope_and_no_request_context()
    {
        var order = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(
            app => app.MapGet("/", (IBackgroundWork background, Marker requestMarker) =>
            {
                s_fromRequest.Value = "request";
                background.Add(services =>
                {
                    order.Enqueue("work");
                    var accessor = services.GetRequiredService<IHttpContextAccessor>();
                    var fresh = !ReferenceEquals(services.GetRequiredService<Marker>(), requestMarker);
                    done.SetResult($"{Thread.CurrentThread.Name?[..12]} fresh scope {fresh}, request {accessor.HttpContext is not null}, async-local {s_fromRequest.Value ?? "none"}");
                });

                // Offloaded: starting the work now would run it inline on this executor thread, before this line.
                order.Enqueue("handler returned");
                return "queued";
            }).OffloadSync(),
            services: builder => builder.Services.AddScoped<Marker>());

        await host.Scenario(_ =>
        {
            _.Get.Url("/");
            _.ContentShouldBe("queued");
        });

        (await done.Task.WaitAsync(TestHosts.HangGuard)).ShouldBe("SyncContext  fresh scope True, request False, async-local none");
        order.ShouldBe(["handler returned", "work"]);
    }

    [Fact]
    public async Task Work_added_outside_a_request_starts_at_once()
    {
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app => { });

        host.Services.GetRequiredService<IBackgroundWork>().Add(_ => done.SetResult(Thread.CurrentThread.Name));

        (await done.Task.WaitAsync(TestHosts.HangGuard)).ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Async_work_runs_where_it_starts_not_on_the_executor()
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app => { });

        host.Services.GetRequiredService<IBackgroundWork>().Add((services, stopping) =>
        {
            done.SetResult(Thread.CurrentThread.Name ?? "pool");
            return Task.CompletedTask;
        });

        (await done.Task.WaitAsync(TestHosts.HangGuard)).ShouldNotStartWith("SyncContext");
    }

    [Fact]
    public async Task Work_that_throws_is_logged_and_counted_and_later_work_still_runs()
    {
        var logs = new LogSink();
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app => { }, services: builder => builder.Logging.AddProvider(logs));
        var queue = host.Services.GetRequiredService<BackgroundWorkQueue>();

        queue.Add(void (_) => throw new InvalidOperationException("background failed"));
        await TestHosts.WaitUntilAsync(() => queue.FailedCount == 1, "the failure to be counted");
        queue.Add(_ => later.SetResult());
        await later.Task.WaitAsync(TestHosts.HangGuard);

        logs.Entries.ShouldContain(entry => entry.EventName == "BackgroundWorkFailed" && entry.Exception!.Message == "background failed");
    }

    [Fact]
    public async Task Background_work_is_measured_completions_with_the_failures_type_refusals_by_reason_and_what_is_pending()
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(app => { }, services: builder => builder.Services.Configure<BackgroundWorkOptions>(o => o.Limit = 2));
        var meters = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var completed = new MetricCollector<long>(meters, SyncContextMetrics.MeterName, "synccontext.background.completed");
        using var rejected = new MetricCollector<long>(meters, SyncContextMetrics.MeterName, "synccontext.background.rejected");
        using var pending = new MetricCollector<int>(meters, SyncContextMetrics.MeterName, "synccontext.background.pending");
        var background = host.Services.GetRequiredService<IBackgroundWork>();

        background.Add(_ => gate.Wait(TestHosts.HangGuard));
        background.Add(void (_) => throw new InvalidOperationException("background failed"));
        await TestHosts.WaitUntilAsync(() => completed.GetMeasurementSnapshot().Count == 1, "the failure to be counted");
        background.Add(_ => gate.Wait(TestHosts.HangGuard));
        Should.Throw<InvalidOperationException>(() => background.Add(_ => { }));
        pending.RecordObservableInstruments();
        var pendingNow = pending.LastMeasurement.ShouldNotBeNull().Value;
        gate.Set();
        await TestHosts.WaitUntilAsync(() => completed.GetMeasurementSnapshot().Count == 3, "the two gated items to be counted");

        pendingNow.ShouldBe(2);
        var measured = completed.GetMeasurementSnapshot();
        measured.Single(m => m.Tags.ContainsKey("error.type")).Tags["error.type"].ShouldBe(typeof(InvalidOperationException).FullName);
        measured.Count(m => !m.Tags.ContainsKey("error.type")).ShouldBe(2);
        rejected.GetMeasurementSnapshot().ShouldHaveSingleItem().Tags["synccontext.rejection.reason"].ShouldBe("queue_full");
    }

    [Fact]
    public async Task Adding_beyond_the_limit_throws_a_clear_exception()
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(app => { }, services: builder => builder.Services.Configure<BackgroundWorkOptions>(o => o.Limit = 1));
        var background = host.Services.GetRequiredService<IBackgroundWork>();

        background.Add(_ => gate.Wait(TestHosts.HangGuard));
        var failure = Should.Throw<InvalidOperationException>(() => background.Add(_ => { }));
        gate.Set();

        failure.Message.ShouldContain("1 items are already queued or running, the limit set by BackgroundWorkOptions.Limit");
    }

    [Fact]
    public async Task Invalid_limit_fails_when_the_host_starts()
    {
        var failure = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TestHosts.StartAsync(app => { }, services: builder => builder.Services.Configure<BackgroundWorkOptions>(o => o.Limit = 0)));

        failure.Message.ShouldContain("BackgroundWorkOptions.Limit");
    }

    [Fact]
    public async Task Shutdown_waits_for_running_work_before_the_after_serving_hooks()
    {
        using var gate = new ManualResetEventSlim();
        var order = new ConcurrentQueue<string>();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await TestHosts.StartAsync(app => app.UseAfterServing(() => order.Enqueue("after serving")));
        host.Services.GetRequiredService<IBackgroundWork>().Add(_ =>
        {
            running.SetResult();
            gate.Wait(TestHosts.HangGuard);
            order.Enqueue("work finished");
        });
        await running.Task.WaitAsync(TestHosts.HangGuard);

        var stop = host.StopAsync();
        stop.IsCompleted.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => host.Services.GetRequiredService<IBackgroundWork>().Add(_ => { })).Message.ShouldContain("stopping");
        gate.Set();
        await stop.WaitAsync(TestHosts.HangGuard);
        await host.DisposeAsync();

        order.ShouldBe(["work finished", "after serving"]);
    }

    [Fact]
    public async Task Shutdown_timeout_abandons_work_and_logs_what_it_left()
    {
        using var gate = new ManualResetEventSlim();
        var logs = new LogSink();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await TestHosts.StartAsync(
            app => { },
            services: builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
            });
        host.Services.GetRequiredService<IBackgroundWork>().Add(_ =>
        {
            running.SetResult();
            gate.Wait(TestHosts.HangGuard);
        });
        await running.Task.WaitAsync(TestHosts.HangGuard);

        await host.StopAsync().WaitAsync(TestHosts.HangGuard);
        gate.Set();
        await host.DisposeAsync();

        logs.Entries.ShouldContain(entry => entry.EventName == "BackgroundWorkAbandoned");
    }

    internal sealed class Marker;
}
