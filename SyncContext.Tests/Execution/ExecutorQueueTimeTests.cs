using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class ExecutorQueueTimeTests
{
    [Fact]
    public async Task An_item_that_waited_longer_than_MaxQueueTime_fails_with_QueueTimeout_and_never_runs()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, TimeSpan.FromSeconds(1));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var ran = false;

        var late = executor.RunAsync(() => ran = true);
        clock.Advance(TimeSpan.FromSeconds(2));
        gate.Set();

        var error = await Should.ThrowAsync<WorkRejectedException>(late.WaitAsync(TestHosts.HangGuard));
        error.Reason.ShouldBe(WorkRejectionReason.QueueTimeout);
        error.Message.ShouldContain("MaxQueueTime");
        ran.ShouldBeFalse();
        await blocker.WaitAsync(TestHosts.HangGuard);
        executor.QueueLength.ShouldBe(0);

        // The worker goes on with the next item.
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 0, "the worker to finish the blocker");
        (await executor.RunAsync(() => 42).WaitAsync(TestHosts.HangGuard)).ShouldBe(42);
    }

    [Fact]
    public async Task An_item_that_waits_past_MaxQueueTime_fails_at_the_bound_while_every_worker_is_still_busy()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, TimeSpan.FromSeconds(1));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var ran = false;

        var late = executor.RunAsync(() => ran = true);
        clock.Advance(TimeSpan.FromSeconds(1.5));

        // The worker is still blocked: the answer does not wait for it.
        var error = await Should.ThrowAsync<WorkRejectedException>(late.WaitAsync(TestHosts.HangGuard));
        error.Reason.ShouldBe(WorkRejectionReason.QueueTimeout);
        blocker.IsCompleted.ShouldBeFalse();
        executor.QueueLength.ShouldBe(0);

        gate.Set();
        await blocker.WaitAsync(TestHosts.HangGuard);
        ran.ShouldBeFalse();
        (await executor.RunAsync(() => 42).WaitAsync(TestHosts.HangGuard)).ShouldBe(42);
    }

    [Fact]
    public async Task Only_the_queued_items_past_MaxQueueTime_fail_the_younger_ones_wait_for_a_worker()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, TimeSpan.FromSeconds(1));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);

        var oldest = executor.RunAsync(() => "oldest");
        clock.Advance(TimeSpan.FromSeconds(0.6));
        var younger = executor.RunAsync(() => "younger");
        clock.Advance(TimeSpan.FromSeconds(0.6)); // the oldest waited 1.2 s, the younger 0.6 s

        (await Should.ThrowAsync<WorkRejectedException>(oldest.WaitAsync(TestHosts.HangGuard))).Reason.ShouldBe(WorkRejectionReason.QueueTimeout);
        younger.IsCompleted.ShouldBeFalse();
        executor.QueueLength.ShouldBe(1);

        clock.Advance(TimeSpan.FromSeconds(0.6)); // now the younger one too: the timer armed itself again for it
        (await Should.ThrowAsync<WorkRejectedException>(younger.WaitAsync(TestHosts.HangGuard))).Reason.ShouldBe(WorkRejectionReason.QueueTimeout);
        blocker.IsCompleted.ShouldBeFalse();

        var inTime = executor.RunAsync(() => "in time");
        clock.Advance(TimeSpan.FromSeconds(0.5));
        gate.Set();
        (await inTime.WaitAsync(TestHosts.HangGuard)).ShouldBe("in time");
        await blocker.WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task An_item_that_waited_within_MaxQueueTime_runs()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, TimeSpan.FromSeconds(1));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);

        var inTime = executor.RunAsync(() => "ran");
        clock.Advance(TimeSpan.FromSeconds(1));
        gate.Set();

        (await inTime.WaitAsync(TestHosts.HangGuard)).ShouldBe("ran");
        await blocker.WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task Without_MaxQueueTime_an_item_runs_however_long_it_waited()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, Timeout.InfiniteTimeSpan);
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);

        var patient = executor.RunAsync(() => "ran");
        clock.Advance(TimeSpan.FromHours(1));
        gate.Set();

        (await patient.WaitAsync(TestHosts.HangGuard)).ShouldBe("ran");
        await blocker.WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task An_arrival_whose_predicted_wait_exceeds_MaxQueueTime_is_refused_at_once_with_the_wait()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, TimeSpan.FromSeconds(5));
        await LearnRunTimeAsync(executor, clock, TimeSpan.FromSeconds(3));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var refusedRan = false;

        var first = executor.RunAsync(() => "first"); // 1 ahead of it x 3 s / 1 thread: 3 s, within 5 s
        var refused = executor.RunAsync(() => refusedRan = true); // 2 x 3 s: 6 s

        refused.IsFaulted.ShouldBeTrue("refused before it was queued");
        var error = await Should.ThrowAsync<WorkRejectedException>(refused);
        error.Reason.ShouldBe(WorkRejectionReason.QueueTimeout);
        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(6));
        executor.QueueLength.ShouldBe(1);

        gate.Set();
        (await first.WaitAsync(TestHosts.HangGuard)).ShouldBe("first");
        await blocker.WaitAsync(TestHosts.HangGuard);
        refusedRan.ShouldBeFalse();
    }

    /// <summary>Runs one item that takes <paramref name="runTime"/> on the fake clock, and waits until the executor learnt it.</summary>
    [Fact]
    public async Task Shedding_a_flood_by_predicted_wait_never_grows_a_rejections_stack_trace()
    {
        // A shared exception wrapped in a new faulted task per refusal collects one more stack trace each time it is
        // awaited: 70 characters a refusal, and a server shedding a flood spent its cores copying them.
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, TimeSpan.FromSeconds(5));
        await LearnRunTimeAsync(executor, clock, TimeSpan.FromSeconds(3));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var queued = executor.RunAsync(() => "queued"); // 3 s ahead of every later arrival: within 5 s

        var traces = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            executor.TryRunUnsafe(static _ => 0, null, default, out var refused).ShouldBeTrue();
            try
            {
                await refused!; // awaited as a request delegate awaits it: the throw writes the trace into the exception
                throw new ShouldAssertException("the arrival was not refused");
            }
            catch (WorkRejectedException error)
            {
                error.Reason.ShouldBe(WorkRejectionReason.QueueTimeout);
                traces.Add(error.StackTrace?.Length ?? 0);
            }
        }

        traces[^1].ShouldBeLessThanOrEqualTo(Math.Max(2_000, 2 * traces[0]), $"stack trace lengths: {traces[0]} first, {traces[^1]} last");
        gate.Set();
        (await queued.WaitAsync(TestHosts.HangGuard)).ShouldBe("queued");
        await blocker.WaitAsync(TestHosts.HangGuard);
    }

    internal static async Task LearnRunTimeAsync(SyncExecutor executor, FakeTimeProvider clock, TimeSpan runTime)
    {
        await executor.RunAsync(() => clock.Advance(runTime)).WaitAsync(TestHosts.HangGuard);
        await TestHosts.WaitUntilAsync(() => executor.Workers.Waits.MeanRunTime == runTime, "the executor to learn the run time");
    }

    private static SyncExecutor Create(TimeProvider clock, TimeSpan maxQueueTime)
        => new(
            Options.Create(new SyncContextOptions { MaxThreads = 1, MinThreads = 0, SpinCount = 0, MaxQueueTime = maxQueueTime }),
            timeProvider: clock);
}
