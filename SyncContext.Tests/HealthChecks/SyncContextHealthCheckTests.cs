using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.HealthChecks;

public class SyncContextHealthCheckTests
{
    [Fact]
    public async Task The_executor_turns_Degraded_then_Unhealthy_as_its_queue_fills_and_Healthy_again_as_it_drains()
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(
            app => app.MapHealthChecks("/health"),
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.QueueLimit = 4;
                o.SpinCount = 0;
            },
            services: b => b.Services.AddHealthChecks().AddSyncContext());
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var executor = host.Services.GetRequiredService<SyncExecutor>();

        (await health.CheckHealthAsync()).Status.ShouldBe(HealthStatus.Healthy);

        var work = new List<Task> { executor.RunAsync(() => gate.Wait(TestHosts.HangGuard)) };
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the worker to be taken");
        work.Add(executor.RunAsync(() => { }));
        (await health.CheckHealthAsync()).Status.ShouldBe(HealthStatus.Healthy, "a quarter of the queue");
        work.Add(executor.RunAsync(() => { }));
        (await health.CheckHealthAsync()).Status.ShouldBe(HealthStatus.Degraded, "half the queue");
        work.Add(executor.RunAsync(() => { }));
        work.Add(executor.RunAsync(() => { }));

        var report = await health.CheckHealthAsync();
        report.Status.ShouldBe(HealthStatus.Unhealthy, "the queue is full");
        var entry = report.Entries["synccontext"];
        entry.Data["queue_length"].ShouldBe(4);
        entry.Data["queue_limit"].ShouldBe(4);
        entry.Data["executor"].ShouldBe("default");
        entry.Description.ShouldNotBeNull().ShouldContain("4 of 4");
        await host.Scenario(_ =>
        {
            _.Get.Url("/health");
            _.StatusCodeShouldBe(503);
            _.ContentShouldBe("Unhealthy");
        });

        gate.Set();
        await Task.WhenAll(work).WaitAsync(TestHosts.HangGuard);
        (await health.CheckHealthAsync()).Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Thresholds_and_the_failure_status_are_the_callers()
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(
            _ => { },
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.QueueLimit = 10;
                o.SpinCount = 0;
            },
            services: b => b.Services.AddHealthChecks().AddSyncContext(o => (o.DegradedQueueFill, o.UnhealthyQueueFill) = (0.1, 0.2), name: "legacy", failureStatus: HealthStatus.Degraded));
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        var work = new List<Task> { executor.RunAsync(() => gate.Wait(TestHosts.HangGuard)) };
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the worker to be taken");

        work.Add(executor.RunAsync(() => { }));
        work.Add(executor.RunAsync(() => { }));
        var report = await health.CheckHealthAsync();

        report.Entries["legacy"].Status.ShouldBe(HealthStatus.Degraded, "past the unhealthy share, reported as the failure status given");
        gate.Set();
        await Task.WhenAll(work).WaitAsync(TestHosts.HangGuard);
    }

    [Theory]
    [InlineData(0.0, 0.9)]
    [InlineData(0.5, 1.5)]
    [InlineData(0.95, 0.9)]
    public void Thresholds_out_of_order_or_range_are_refused_at_registration(double degraded, double unhealthy)
        => Should.Throw<ArgumentOutOfRangeException>(() => new ServiceCollection().AddHealthChecks().AddSyncContext(o => (o.DegradedQueueFill, o.UnhealthyQueueFill) = (degraded, unhealthy)));

    [Fact]
    public async Task A_check_watches_the_named_executor_it_is_given_and_only_that_one()
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(
            _ => { },
            services: b =>
            {
                b.Services.AddSyncExecutor("legacy-db", o =>
                {
                    o.MaxThreads = 1;
                    o.MinThreads = 1;
                    o.QueueLimit = 2;
                });
                b.Services.AddHealthChecks()
                    .AddSyncContext()
                    .AddSyncContext(o => o.Executor = "legacy-db", name: "legacy-db");
            });
        var health = host.Services.GetRequiredService<HealthCheckService>();
        var legacy = host.Services.GetRequiredKeyedService<SyncExecutor>("legacy-db");

        var work = new List<Task> { legacy.RunAsync(() => gate.Wait(TestHosts.HangGuard)) };
        await TestHosts.WaitUntilAsync(() => legacy.RunningCount == 1, "the legacy-db worker to be taken");
        work.Add(legacy.RunAsync(() => { }));
        work.Add(legacy.RunAsync(() => { }));
        var report = await health.CheckHealthAsync();
        gate.Set();
        await Task.WhenAll(work).WaitAsync(TestHosts.HangGuard);

        report.Entries["legacy-db"].Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries["legacy-db"].Data["executor"].ShouldBe("legacy-db");
        report.Entries["synccontext"].Status.ShouldBe(HealthStatus.Healthy);
    }
}
