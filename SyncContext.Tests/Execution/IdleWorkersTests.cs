using System.Collections.Concurrent;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class IdleWorkersTests
{
    private static IdleWorkers NoSpin() => new(new IdleSpinPolicy(maxSpin: 0, cores: 2));

    [Fact]
    public void A_permit_released_before_the_wait_is_taken_without_parking()
    {
        var idle = NoSpin();
        idle.Release();

        idle.Wait(new WorkerParker(), TestHosts.HangGuard, cpuBudgetSpent: false).ShouldBeTrue();

        idle.Permits.ShouldBe(0);
        idle.ParkedCount.ShouldBe(0);
    }

    [Fact]
    public async Task The_worker_that_parked_last_is_woken_first()
    {
        var idle = NoSpin();
        var woken = new ConcurrentQueue<string>();
        var workers = new List<Thread>();
        foreach (var name in new[] { "first", "second", "third" })
        {
            var thread = new Thread(() =>
            {
                var parker = new WorkerParker();
                if (idle.Wait(parker, TestHosts.HangGuard, cpuBudgetSpent: false))
                {
                    woken.Enqueue(name);
                }
            }) { IsBackground = true };
            thread.Start();
            workers.Add(thread);
            await TestHosts.WaitUntilAsync(() => idle.ParkedCount == workers.Count, $"{name} to park");
        }

        idle.Release();
        await TestHosts.WaitUntilAsync(() => woken.Count == 1, "one worker to take the permit");
        idle.ParkedCount.ShouldBe(2, "one permit wakes one worker");

        idle.Release();
        await TestHosts.WaitUntilAsync(() => woken.Count == 2, "a second worker to take the second permit");
        idle.Release();
        await TestHosts.WaitUntilAsync(() => woken.Count == 3, "the last worker to take the third permit");

        woken.ShouldBe(["third", "second", "first"]);
        workers.ShouldAllBe(thread => thread.Join(TestHosts.HangGuard));
    }

    [Fact]
    public async Task A_parked_worker_whose_timeout_passes_leaves_the_stack_and_the_next_permit_waits_for_a_worker()
    {
        var idle = NoSpin();

        var timedOut = await Task.Run(() => !idle.Wait(new WorkerParker(), TimeSpan.FromMilliseconds(20), cpuBudgetSpent: false));

        timedOut.ShouldBeTrue();
        idle.ParkedCount.ShouldBe(0);
        idle.Release();
        idle.Permits.ShouldBe(1, "nobody was parked to take it");
        idle.Wait(new WorkerParker(), TestHosts.HangGuard, cpuBudgetSpent: false).ShouldBeTrue();
    }

    [Theory]
    [InlineData(0)] // parking only
    [InlineData(50)] // spinners too: a spinner that stops takes the permits released while it counted as one
    public void Every_permit_released_from_many_threads_is_taken_exactly_once(int spinCount)
    {
        const int Workers = 6, Senders = 3, PerSender = 20_000, Total = Senders * PerSender;
        var idle = new IdleWorkers(new IdleSpinPolicy(spinCount, cores: Workers));
        var taken = 0;
        var failed = 0;
        var workers = Enumerable.Range(0, Workers).Select(_ => new Thread(() =>
        {
            var parker = new WorkerParker();
            while (true)
            {
                if (!idle.Wait(parker, TestHosts.HangGuard, cpuBudgetSpent: false))
                {
                    Interlocked.Increment(ref failed); // a permit was left with nobody coming for it
                    return;
                }

                if (Interlocked.Increment(ref taken) > Total)
                {
                    return; // one of the permits released to stop the workers
                }

                if ((taken & 7) == 0)
                {
                    Thread.Yield(); // lets the senders get ahead, so workers also park and get woken
                }
            }
        }) { IsBackground = true }).ToList();
        workers.ForEach(thread => thread.Start());
        var senders = Enumerable.Range(0, Senders).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                idle.Release();
            }
        }) { IsBackground = true }).ToList();

        senders.ForEach(thread => thread.Start());
        senders.ShouldAllBe(thread => thread.Join(TestHosts.HangGuard));
        SpinWait.SpinUntil(() => Volatile.Read(ref taken) >= Total || Volatile.Read(ref failed) > 0, TestHosts.HangGuard);
        Volatile.Read(ref taken).ShouldBe(Total);
        idle.Release(Workers);

        workers.ShouldAllBe(thread => thread.Join(TestHosts.HangGuard));
        failed.ShouldBe(0);
        taken.ShouldBe(Total + Workers);
        idle.Permits.ShouldBe(0);
        idle.Spinners.ShouldBe(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public void A_permit_released_just_as_the_only_worker_goes_to_park_is_taken(int spinCount)
    {
        // Ping-pong with one worker: each permit is released the moment the worker took the one before, so most
        // land while the worker is between finding no permit and joining the stack, where nobody is parked to wake.
        const int Rounds = 20_000;
        var idle = new IdleWorkers(new IdleSpinPolicy(spinCount, cores: 2));
        var taken = 0;
        var worker = new Thread(() =>
        {
            var parker = new WorkerParker();
            while (Volatile.Read(ref taken) < Rounds && idle.Wait(parker, TestHosts.HangGuard, cpuBudgetSpent: false))
            {
                Interlocked.Increment(ref taken);
            }
        }) { IsBackground = true };
        worker.Start();

        for (var i = 0; i < Rounds; i++)
        {
            idle.Release();
            SpinWait.SpinUntil(() => Volatile.Read(ref taken) > i, TestHosts.HangGuard).ShouldBeTrue($"permit {i} was left behind");
        }

        worker.Join(TestHosts.HangGuard).ShouldBeTrue();
    }
}
