using System.Diagnostics.Metrics;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;
using SyncContext.Tests.Execution;

namespace SyncContext.Tests.Diagnostics;

public class ExecutorMetricsTests
{
    private const string Route = "/items/{id}";

    [Fact]
    public async Task Queue_and_run_durations_are_recorded_in_seconds_by_executor_and_route_and_completions_are_counted()
    {
        var clock = new FakeTimeProvider();
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.MapGet("/slow", () => gate.Wait(TestHosts.HangGuard)).OffloadSync();
                app.MapGet(Route, (int id) =>
                {
                    clock.Advance(TimeSpan.FromMilliseconds(250));
                    return id;
                }).OffloadSync();
            },
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.SpinCount = 0;
            },
            services: b => b.Services.AddSingleton<TimeProvider>(clock));
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var queued = new MetricCollector<double>(meters, SyncContextMetrics.MeterName, "synccontext.work.queue.duration");
        using var ran = new MetricCollector<double>(meters, SyncContextMetrics.MeterName, "synccontext.work.run.duration");
        using var completed = new MetricCollector<long>(meters, SyncContextMetrics.MeterName, "synccontext.work.completed");
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var blocker = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the blocker to occupy the worker");
        var item = client.GetStringAsync("/items/7");
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "the item to wait in the queue");
        clock.Advance(TimeSpan.FromSeconds(2));
        gate.Set();
        (await item.WaitAsync(TestHosts.HangGuard)).ShouldBe("7");
        await blocker.WaitAsync(TestHosts.HangGuard);
        await TestHosts.WaitUntilAsync(() => completed.GetMeasurementSnapshot().Count == 2, "both items to be counted");

        var wait = queued.GetMeasurementSnapshot().Single(m => m.Tags.TryGetValue("http.route", out var route) && (string?)route == Route);
        wait.Value.ShouldBe(2.0);
        wait.Tags["synccontext.executor.name"].ShouldBe("default");
        wait.Tags["synccontext.work.result"].ShouldBe("started");

        var run = ran.GetMeasurementSnapshot().Single(m => m.Tags.TryGetValue("http.route", out var route) && (string?)route == Route);
        run.Value.ShouldBe(0.25);
        run.Tags["synccontext.executor.name"].ShouldBe("default");
        ran.GetMeasurementSnapshot().ShouldContain(m => (string?)m.Tags["http.route"] == "/slow" && m.Value == 2.0);

        completed.GetMeasurementSnapshot().Select(m => (string?)m.Tags["http.route"]).Order().ShouldBe(["/items/{id}", "/slow"]);
    }

    [Fact]
    public void The_duration_histograms_are_in_seconds_with_explicit_bucket_advice()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var queued = new MetricCollector<double>(meters, SyncContextMetrics.MeterName, "synccontext.work.queue.duration");
        using var ran = new MetricCollector<double>(meters, SyncContextMetrics.MeterName, "synccontext.work.run.duration");
        _ = new SyncContextMetrics(meters);

        foreach (var instrument in new[] { queued.Instrument, ran.Instrument })
        {
            var histogram = instrument.ShouldBeOfType<Histogram<double>>();
            histogram.Unit.ShouldBe("s");
            histogram.Advice.ShouldNotBeNull().HistogramBucketBoundaries.ShouldNotBeNull().Count.ShouldBeGreaterThan(10);
        }
    }

    [Fact]
    public async Task Rejections_are_counted_by_executor_with_a_namespaced_reason()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var rejected = new MetricCollector<long>(meters, SyncContextMetrics.MeterName, "synccontext.work.rejected");
        var clock = new FakeTimeProvider();
        using var executor = new SyncExecutor(
            Options.Create(new SyncContextOptions { MaxThreads = 1, MinThreads = 0, QueueLimit = 1, SpinCount = 0, MaxQueueTime = TimeSpan.FromSeconds(1), ThreadNamePrefix = "legacy" }),
            metrics: new SyncContextMetrics(meters),
            timeProvider: clock);
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);

        var late = executor.RunAsync(() => { });
        executor.RunAsync(() => { }).IsFaulted.ShouldBeTrue("the queue holds one");
        clock.Advance(TimeSpan.FromSeconds(2));
        gate.Set();
        await Should.ThrowAsync<WorkRejectedException>(late.WaitAsync(TestHosts.HangGuard));
        await blocker.WaitAsync(TestHosts.HangGuard);

        var reasons = rejected.GetMeasurementSnapshot().Select(m => ((string?)m.Tags["synccontext.rejection.reason"], (string?)m.Tags["synccontext.executor.name"], m.Value));
        reasons.ShouldBe([("queue_full", "default", 1L), ("queue_timeout", "default", 1L)]);
    }

    [Fact]
    public async Task Each_executor_reports_its_gauges_under_one_instrument_tagged_with_its_name()
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(
            app => app.MapGet("/legacy", () => gate.Wait(TestHosts.HangGuard)).OffloadSync("legacy-db"),
            options: o => o.MinThreads = 1,
            services: b => b.Services.AddSyncExecutor("legacy-db", o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
            }));
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var running = new MetricCollector<int>(meters, SyncContextMetrics.MeterName, "synccontext.executor.running");
        var legacy = host.Services.GetRequiredKeyedService<SyncExecutor>("legacy-db");
        using var client = host.Server.CreateClient();

        var request = client.GetStringAsync("/legacy");
        await TestHosts.WaitUntilAsync(() => legacy.RunningCount == 1, "the legacy-db worker to be busy");
        running.RecordObservableInstruments();
        gate.Set();
        await request.WaitAsync(TestHosts.HangGuard);

        var byExecutor = running.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["synccontext.executor.name"]!, m => m.Value);
        byExecutor.ShouldBe(new Dictionary<string, int> { ["default"] = 0, ["legacy-db"] = 1 });
    }
}
