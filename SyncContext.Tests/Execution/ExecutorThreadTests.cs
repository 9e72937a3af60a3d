using System.Collections.Concurrent;

namespace SyncContext.Tests.Execution;

public class ExecutorThreadTests
{
    [Fact]
    public async Task MinThreads_workers_start_with_the_executor()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 4, minThreads: 2);

        executor.ThreadCount.ShouldBe(2);

        var names = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => executor.RunAsync(() => Thread.CurrentThread.Name)));
        names.ShouldAllBe(name => name!.StartsWith("SyncContext #", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Threads_grow_on_demand_up_to_MaxThreads_and_never_beyond()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 3, minThreads: 0);
        executor.ThreadCount.ShouldBe(0);
        using var gate = new ManualResetEventSlim();
        var names = new ConcurrentDictionary<string, byte>();

        var burst = Enumerable.Range(0, 12).Select(_ => executor.RunAsync(() =>
        {
            names.TryAdd(Thread.CurrentThread.Name!, 0);
            gate.Wait(TestHosts.HangGuard);
        })).ToList();
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 3, "three items to run at once");

        executor.ThreadCount.ShouldBe(3);
        executor.QueueLength.ShouldBe(9);
        gate.Set();
        await Task.WhenAll(burst).WaitAsync(TestHosts.HangGuard);

        names.Count.ShouldBe(3);
        executor.ThreadCount.ShouldBe(3);
    }

    [Fact]
    public async Task Idle_workers_above_MinThreads_retire_and_MinThreads_are_kept()
    {
        var idleTimeout = TimeSpan.FromMilliseconds(200);
        using var executor = ExecutorFactory.Create(maxThreads: 4, minThreads: 1, idleTimeout: idleTimeout);
        using var gate = new ManualResetEventSlim();
        var burst = Enumerable.Range(0, 4).Select(_ => executor.RunAsync(() => gate.Wait(TestHosts.HangGuard))).ToList();
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 4, "four items to run at once");
        executor.ThreadCount.ShouldBe(4);

        gate.Set();
        await Task.WhenAll(burst).WaitAsync(TestHosts.HangGuard);
        await TestHosts.WaitUntilAsync(() => executor.ThreadCount == 1, "idle workers to retire");

        // Several more idle timeouts pass: the floor holds, and the kept worker still takes work.
        await Task.Delay(idleTimeout * 3);
        executor.ThreadCount.ShouldBe(1);
        (await executor.RunAsync(() => Thread.CurrentThread.Name).WaitAsync(TestHosts.HangGuard)).ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Work_queued_while_the_last_worker_retires_still_runs()
    {
        // With a 1 ms idle timeout the only worker retires between almost every item, so some item lands in
        // the instant between its wait timing out and its retiring. Without a hand-over that item waited for
        // a worker that never came (seen about one run in three before the fix).
        using var executor = ExecutorFactory.Create(maxThreads: 1, minThreads: 0, idleTimeout: TimeSpan.FromMilliseconds(1));

        for (var i = 0; i < 10_000; i++)
        {
            var work = executor.RunAsync(() => { });
            var finished = await Task.WhenAny(work, Task.Delay(TestHosts.HangGuard)) == work;
            finished.ShouldBeTrue($"item {i} was stranded: {executor.ThreadCount} workers, {executor.QueueLength} queued");

            // Vary the gap so items arrive at every point of the worker's idle timeout.
            Thread.SpinWait(i % 200 * 50);
        }
    }

    [Fact]
    public async Task Blocked_workers_get_threads_for_waiting_items_even_after_short_work_and_with_nothing_arriving()
    {
        // Short items teach the executor that its work finishes in microseconds, so threads beyond the eager ones are
        // held back when items queue. Then every worker blocks and the rest of a burst waits with nothing arriving or
        // finishing that would ask again: the executor must notice on its own (the ask-again timer and the stall rule)
        // and start the threads, or these items would wait for the blocked ones.
        var eager = 2 * Environment.ProcessorCount;
        var blocked = eager + 4;
        using var executor = ExecutorFactory.Create(maxThreads: blocked + 4);
        for (var i = 0; i < 2_000; i++)
        {
            await executor.RunAsync(() => { });
        }

        using var gate = new ManualResetEventSlim();
        var burst = Enumerable.Range(0, blocked).Select(_ => executor.RunAsync(() => gate.Wait(TestHosts.HangGuard))).ToList();

        await TestHosts.WaitUntilAsync(() => executor.RunningCount == blocked, $"all {blocked} blocking items to run at once");
        gate.Set();
        await Task.WhenAll(burst).WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task The_idle_spin_shrinks_while_items_arrive_slower_than_it_lasts()
    {
        // Each item comes only after the idle worker's spin for the last one ran out, as for hundreds of workers
        // finishing a blocking call at random moments: every such spin cost a core for nothing, so it halves each
        // time. The next item waits for the halving rather than for a fixed gap, which a loaded machine (a spin that
        // yields its core may last far longer than its 100 polls) could make shorter than the spin.
        using var executor = ExecutorFactory.Create(maxThreads: 2, spinCount: 100);
        var policy = executor.Workers.SpinPolicy;
        for (var i = 0; policy.SpinLimit > policy.MinSpin; i++)
        {
            i.ShouldBeLessThan(5, "100 polls reach the shortest spin in four halvings");
            var before = policy.SpinLimit;
            await executor.RunAsync(() => { }).WaitAsync(TestHosts.HangGuard);
            await TestHosts.WaitUntilAsync(() => policy.SpinLimit < before, $"the spin of {before} polls after item {i} to run out and halve");
        }

        policy.SpinLimit.ShouldBe(policy.MinSpin);
    }
}
