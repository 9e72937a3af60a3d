namespace SyncContext.Tests.Execution;

public class ExecutorShutdownTests
{
    [Fact]
    public async Task StopAsync_lets_running_and_queued_work_finish_when_it_has_time()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1);
        var (running, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var queuedRan = false;
        var queued = executor.RunAsync(() => queuedRan = true);

        var stop = executor.StopAsync(CancellationToken.None);
        stop.IsCompleted.ShouldBeFalse();
        gate.Set();
        await stop.WaitAsync(TestHosts.HangGuard);

        running.IsCompletedSuccessfully.ShouldBeTrue();
        queued.IsCompletedSuccessfully.ShouldBeTrue();
        queuedRan.ShouldBeTrue();
    }

    [Fact]
    public async Task StopAsync_whose_token_fires_fails_queued_work_and_leaves_nothing_pending()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1);
        var (running, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var ran = 0;
        var queued = Enumerable.Range(0, 3).Select(_ => executor.RunAsync(() => Interlocked.Increment(ref ran))).ToList();
        using var timeout = new CancellationTokenSource();

        var stop = executor.StopAsync(timeout.Token);
        await timeout.CancelAsync();
        await stop.WaitAsync(TestHosts.HangGuard);

        foreach (var task in queued)
        {
            task.IsFaulted.ShouldBeTrue();
            (await Should.ThrowAsync<WorkRejectedException>(task)).Reason.ShouldBe(WorkRejectionReason.Stopping);
        }

        ran.ShouldBe(0);
        executor.QueueLength.ShouldBe(0);

        // The running item is not interrupted; it completes when it is done.
        running.IsCompleted.ShouldBeFalse();
        gate.Set();
        await running.WaitAsync(TestHosts.HangGuard);
        await executor.WhenAllWorkersExited.WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task RunAsync_after_stop_is_rejected_as_stopping()
    {
        using var executor = ExecutorFactory.Create();
        await executor.StopAsync(CancellationToken.None);
        var ran = false;

        var task = executor.RunAsync(() => ran = true);

        task.IsFaulted.ShouldBeTrue();
        (await Should.ThrowAsync<WorkRejectedException>(task)).Reason.ShouldBe(WorkRejectionReason.Stopping);
        ran.ShouldBeFalse();
    }

    [Fact]
    public async Task Dispose_fails_queued_work_instead_of_leaving_it_pending()
    {
        var executor = ExecutorFactory.Create(maxThreads: 1);
        var (running, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var queued = executor.RunAsync(() => { });

        executor.Dispose();

        (await Should.ThrowAsync<WorkRejectedException>(queued.WaitAsync(TestHosts.HangGuard))).Reason.ShouldBe(WorkRejectionReason.Stopping);
        gate.Set();
        await running.WaitAsync(TestHosts.HangGuard);
    }
}
