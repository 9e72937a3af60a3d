using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;
using SyncContext.Tests.Context;
using SyncContext.Tests.Execution;

namespace SyncContext.Tests.Executors;

/// <summary>
/// <c>AddSyncContext(IConfiguration)</c>: the default and named executors bound from a section, and what a reload of
/// that configuration changes while they run (the thread bounds and the queue's bound at once; the rest is logged).
/// </summary>
public sealed class ExecutorConfigurationTests : IAsyncDisposable
{
    private readonly IConfigurationRoot _configuration;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ServiceProvider _services;

    public ExecutorConfigurationTests()
    {
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SyncContext:MaxThreads"] = "3",
            ["SyncContext:QueueLimit"] = "7",
            ["SyncContext:SpinCount"] = "0",
            ["SyncContext:Executors:legacy-db:MaxThreads"] = "1",
            ["SyncContext:Executors:legacy-db:QueueLimit"] = "0",
            ["SyncContext:Executors:legacy-db:SpinCount"] = "0",
            ["SyncContext:Executors:legacy-com:ThreadAffinity"] = "true",
        }).Build();
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information))
            .AddSyncContext(_configuration.GetSection("SyncContext"))
            .BuildServiceProvider();
    }

    private SyncExecutor LegacyDb => _services.GetRequiredKeyedService<SyncExecutor>("legacy-db");

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public void The_default_executor_and_one_per_child_of_Executors_are_bound_from_the_section()
    {
        var options = _services.GetRequiredService<IOptionsMonitor<SyncContextOptions>>();
        options.CurrentValue.MaxThreads.ShouldBe(3);
        options.CurrentValue.QueueLimit.ShouldBe(7);
        options.Get("legacy-db").MaxThreads.ShouldBe(1);
        options.Get("legacy-db").QueueLimit.ShouldBe(0);

        _services.GetRequiredService<SyncExecutor>().MaximumConcurrencyLevel.ShouldBe(3);
        LegacyDb.MaximumConcurrencyLevel.ShouldBe(1);
        _services.GetRequiredKeyedService<SyncExecutor>("legacy-com").HasThreadAffinity.ShouldBeTrue();
    }

    [Fact]
    public async Task A_reloaded_QueueLimit_moves_the_queues_bound_at_once()
    {
        var (blocked, gate) = await ExecutorFactory.BlockOneWorkerAsync(LegacyDb);
        try
        {
            var refused = LegacyDb.RunAsync(() => 1);
            (await Should.ThrowAsync<WorkRejectedException>(refused)).Reason.ShouldBe(WorkRejectionReason.QueueFull);

            Reload("SyncContext:Executors:legacy-db:QueueLimit", "1");

            var admitted = LegacyDb.RunAsync(() => 2);
            admitted.IsFaulted.ShouldBeFalse();
            (await Should.ThrowAsync<WorkRejectedException>(LegacyDb.RunAsync(() => 3))).Reason.ShouldBe(WorkRejectionReason.QueueFull);
            gate.Set();
            (await admitted.WaitAsync(TestHosts.HangGuard)).ShouldBe(2);
        }
        finally
        {
            gate.Set();
            await blocked.WaitAsync(TestHosts.HangGuard);
        }
    }

    [Fact]
    public async Task A_reloaded_MaxThreads_starts_a_thread_for_the_item_that_waited_for_one()
    {
        Reload("SyncContext:Executors:legacy-db:QueueLimit", "10");
        var (blocked, gate) = await ExecutorFactory.BlockOneWorkerAsync(LegacyDb);
        using var second = new ManualResetEventSlim();
        try
        {
            var waiting = LegacyDb.RunAsync(second.Set);
            LegacyDb.QueueLength.ShouldBe(1); // no second thread under MaxThreads 1: it waits

            Reload("SyncContext:Executors:legacy-db:MaxThreads", "2");

            await TestHosts.WaitUntilAsync(() => second.IsSet, "the waiting item to get the second thread");
            await waiting.WaitAsync(TestHosts.HangGuard);
            LegacyDb.ThreadCount.ShouldBe(2);
            LegacyDb.MaximumConcurrencyLevel.ShouldBe(2);
        }
        finally
        {
            gate.Set();
            await blocked.WaitAsync(TestHosts.HangGuard);
        }
    }

    [Fact]
    public async Task A_lowered_MaxThreads_retires_the_threads_above_it_as_their_items_finish()
    {
        Reload("SyncContext:Executors:legacy-db:MaxThreads", "2");
        var (first, firstGate) = await ExecutorFactory.BlockOneWorkerAsync(LegacyDb);
        var (second, secondGate) = await ExecutorFactory.BlockOneWorkerAsync(LegacyDb);
        LegacyDb.ThreadCount.ShouldBe(2);

        Reload("SyncContext:Executors:legacy-db:MaxThreads", "1");
        firstGate.Set();
        secondGate.Set();
        await Task.WhenAll(first, second).WaitAsync(TestHosts.HangGuard);

        await TestHosts.WaitUntilAsync(() => LegacyDb.ThreadCount == 1, "the thread above the new MaxThreads to retire");
    }

    [Fact]
    public async Task The_default_executor_follows_its_own_section()
    {
        var executor = _services.GetRequiredService<SyncExecutor>();

        Reload("SyncContext:MaxThreads", "5");

        executor.MaximumConcurrencyLevel.ShouldBe(5);
        (await executor.RunAsync(() => 1)).ShouldBe(1);
    }

    [Fact]
    public async Task An_option_read_only_at_start_is_logged_once_as_needing_a_restart_and_left_as_it_was()
    {
        _ = LegacyDb;

        Reload("SyncContext:Executors:legacy-db:ThreadNamePrefix", "Renamed");
        _configuration.Reload(); // a source that signals twice for one change (a file watcher) logs it once

        _logs.Entries.Count(e => e.Message.Contains("ThreadNamePrefix", StringComparison.Ordinal)).ShouldBe(1);
        _logs.Entries.ShouldContain(e => e.Message.StartsWith("Executor legacy-db: the reloaded configuration changes ThreadNamePrefix", StringComparison.Ordinal));
        (await LegacyDb.RunAsync(() => Thread.CurrentThread.Name)).ShouldStartWith("SyncContext legacy-db #");
    }

    [Fact]
    public void An_invalid_reload_is_refused_and_the_executor_keeps_its_limits()
    {
        _ = LegacyDb;

        // The options monitor refuses it (its validation throws to whoever reloaded) and never hands it on.
        Record.Exception(() => Reload("SyncContext:Executors:legacy-db:MaxThreads", "0")).ShouldNotBeNull();

        LegacyDb.MaximumConcurrencyLevel.ShouldBe(1);
    }

    private void Reload(string key, string value)
    {
        _configuration[key] = value;
        _configuration.Reload();
    }
}
