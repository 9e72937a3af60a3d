using System.Runtime.CompilerServices;

namespace SyncContext.Tests.Execution;

public class ExecutorAdmissionTests
{
    [Fact]
    public async Task Work_cancelled_while_queued_never_runs()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1);
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        using var cts = new CancellationTokenSource();
        var ran = false;

        var queued = executor.RunAsync(() => ran = true, cts.Token);
        executor.QueueLength.ShouldBe(1);
        await cts.CancelAsync();
        gate.Set();
        await blocker.WaitAsync(TestHosts.HangGuard);

        await Should.ThrowAsync<TaskCanceledException>(queued.WaitAsync(TestHosts.HangGuard));
        queued.IsCanceled.ShouldBeTrue();
        ran.ShouldBeFalse();
        executor.QueueLength.ShouldBe(0);
    }

    [Fact]
    public async Task Work_with_an_already_cancelled_token_is_cancelled_at_once()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1);
        var ran = false;

        var task = executor.RunAsync(() => ran = true, new CancellationToken(canceled: true));

        task.IsCanceled.ShouldBeTrue();
        ran.ShouldBeFalse();
        executor.QueueLength.ShouldBe(0);
        await Should.ThrowAsync<TaskCanceledException>(task);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public async Task Nested_RunAsync_on_a_saturated_executor_runs_inline_without_deadlock(int maxThreads, int outers)
    {
        using var executor = ExecutorFactory.Create(maxThreads: maxThreads);
        using var allBusy = new Barrier(outers);

        var work = Enumerable.Range(0, outers).Select(_ => executor.RunAsync(() =>
        {
            // Every worker is taken before any nested call is made.
            allBusy.SignalAndWait(TestHosts.HangGuard).ShouldBeTrue();
            var outer = Environment.CurrentManagedThreadId;
            var inner = executor.RunAsync(() => Environment.CurrentManagedThreadId).GetAwaiter().GetResult();
            var innerWithState = executor.RunAsync(static x => x * 2, 21).GetAwaiter().GetResult();
            return (outer, inner, innerWithState);
        })).ToList();

        var results = await Task.WhenAll(work).WaitAsync(TestHosts.HangGuard);

        results.ShouldAllBe(r => r.outer == r.inner && r.innerWithState == 42);
    }

    [Fact]
    public async Task Work_past_the_queue_limit_is_rejected_at_once_and_never_runs()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1, queueLimit: 1);
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var queuedRan = false;
        var rejectedRan = false;

        var queued = executor.RunAsync(() => queuedRan = true);
        var rejected = executor.RunAsync(() => rejectedRan = true);

        rejected.IsFaulted.ShouldBeTrue();
        var error = await Should.ThrowAsync<WorkRejectedException>(rejected);
        error.Reason.ShouldBe(WorkRejectionReason.QueueFull);

        gate.Set();
        await Task.WhenAll(blocker, queued).WaitAsync(TestHosts.HangGuard);
        queuedRan.ShouldBeTrue();
        rejectedRan.ShouldBeFalse();
    }

    [Fact]
    public async Task Queue_limit_zero_still_runs_work_when_a_worker_is_free()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1, queueLimit: 0);

        (await executor.RunAsync(() => 42).WaitAsync(TestHosts.HangGuard)).ShouldBe(42);

        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var rejected = executor.RunAsync(() => 1);
        gate.Set();
        await blocker.WaitAsync(TestHosts.HangGuard);
        (await Should.ThrowAsync<WorkRejectedException>(rejected)).Reason.ShouldBe(WorkRejectionReason.QueueFull);
    }

    [Fact]
    public async Task Exception_from_the_work_keeps_its_type_and_stack_trace()
    {
        using var executor = ExecutorFactory.Create();

        var error = await Should.ThrowAsync<InvalidOperationException>(executor.RunAsync(ThrowingWork));

        error.Message.ShouldBe("boom from the work");
        error.StackTrace.ShouldNotBeNull().ShouldContain(nameof(ThrowingWork));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowingWork() => throw new InvalidOperationException("boom from the work");
}
