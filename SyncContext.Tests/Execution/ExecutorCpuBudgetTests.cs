using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class ExecutorCpuBudgetTests
{
    private static SyncExecutor Create(int cpuBudget) => new(Options.Create(new SyncContextOptions
    {
        MaxThreads = 8,
        MinThreads = 0,
        CpuBudget = cpuBudget,
        SpinCount = 0,
    }));

    private static bool HasCpuClock => OperatingSystem.IsLinux() || OperatingSystem.IsWindows();

    [Fact]
    public async Task CPU_bound_work_runs_at_most_CpuBudget_items_at_once_and_every_item_completes()
    {
        if (!HasCpuClock)
        {
            return;
        }

        using var executor = Create(cpuBudget: 2);
        var running = 0;
        var most = 0;
        void Hash()
        {
            CpuWork.RaiseTo(ref most, Interlocked.Increment(ref running));
            CpuWork.Compute(TimeSpan.FromMilliseconds(3));
            Interlocked.Decrement(ref running);
        }

        await LearnCpuBoundAsync(executor, Hash); // one run is not always enough on a busy machine (CI failed so once)
        most = 0;
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => executor.RunAsync(Hash))).WaitAsync(TestHosts.HangGuard);

        most.ShouldBeInRange(1, 2);
        executor.Workers.HeldCount.ShouldBe(0);
        executor.QueueLength.ShouldBe(0);
    }

    [Fact]
    public async Task Held_CPU_bound_items_are_let_go_at_once_when_their_work_turns_out_to_block()
    {
        if (!HasCpuClock)
        {
            return;
        }

        using var executor = Create(cpuBudget: 1);
        using var release = new ManualResetEventSlim();
        using var heldSeen = new ManualResetEventSlim();
        var blocks = false;
        var blocked = 0;
        void Work()
        {
            if (!Volatile.Read(ref blocks))
            {
                CpuWork.Compute(TimeSpan.FromMilliseconds(3));
                return;
            }

            // The first blocking item runs until the test has seen the other two held, then blocks with its CPU
            // idle and finishes on its own; the ones after it wait for the test.
            if (Interlocked.Increment(ref blocked) == 1)
            {
                heldSeen.Wait(TestHosts.HangGuard);
                Thread.Sleep(150);
                return;
            }

            release.Wait(TestHosts.HangGuard);
        }

        await LearnCpuBoundAsync(executor, Work);
        Volatile.Write(ref blocks, true);
        var first = executor.RunAsync(Work);
        var held = Enumerable.Range(0, 2).Select(_ => executor.RunAsync(Work)).ToList();
        await TestHosts.WaitUntilAsync(() => executor.Workers.HeldCount == 2, "two items to be held behind the one in the budget");
        executor.Workers.CpuBoundRunningCount.ShouldBe(1);
        heldSeen.Set();

        // The first item blocks for 150 ms with its CPU idle: from its sample on the work is I/O-bound, and the
        // two held items run side by side; held one after the other, the second would wait for the third forever.
        await TestHosts.WaitUntilAsync(() => Volatile.Read(ref blocked) == 3, "the two held items to run at once");
        release.Set();
        await Task.WhenAll([first, .. held]).WaitAsync(TestHosts.HangGuard);
    }

    [Fact]
    public async Task A_CPU_bound_item_held_for_the_budget_fails_at_MaxQueueTime_while_the_budget_is_still_spent()
    {
        if (!HasCpuClock)
        {
            return;
        }

        var clock = new FakeTimeProvider();
        using var executor = new SyncExecutor(
            Options.Create(new SyncContextOptions { MaxThreads = 8, MinThreads = 0, CpuBudget = 1, SpinCount = 0, MaxQueueTime = TimeSpan.FromSeconds(1) }),
            timeProvider: clock);
        using var release = new ManualResetEventSlim();
        var blocks = false;
        var ran = 0;
        void Work()
        {
            if (!Volatile.Read(ref blocks))
            {
                CpuWork.Compute(TimeSpan.FromMilliseconds(3));
                return;
            }

            Interlocked.Increment(ref ran);
            release.Wait(TestHosts.HangGuard); // holds the one CPU slot until the test lets it go
        }

        await LearnCpuBoundAsync(executor, Work);
        Volatile.Write(ref blocks, true);
        var first = executor.RunAsync(Work);
        await TestHosts.WaitUntilAsync(() => Volatile.Read(ref ran) == 1, "the first item to take the CPU slot");
        var held = executor.RunAsync(Work);
        await TestHosts.WaitUntilAsync(() => executor.Workers.HeldCount == 1, "the second item to be held behind it");

        // Past the bound with the slot still taken: the held item is answered now, not when the first one finishes.
        clock.Advance(TimeSpan.FromSeconds(1.5));
        var error = await Should.ThrowAsync<WorkRejectedException>(held.WaitAsync(TimeSpan.FromSeconds(10)));
        error.Reason.ShouldBe(WorkRejectionReason.QueueTimeout);
        first.IsCompleted.ShouldBeFalse();
        executor.Workers.HeldCount.ShouldBe(0);
        executor.QueueLength.ShouldBe(0);

        release.Set();
        await first.WaitAsync(TestHosts.HangGuard);
        Volatile.Read(ref ran).ShouldBe(1);
    }

    /// <summary>
    /// Runs <paramref name="work"/> (3 ms of CPU while the test lets it) until its profile says CPU-bound. On a loaded
    /// machine one 3 ms item can be preempted for longer than it computes, and read as blocked.
    /// </summary>
    private static async Task LearnCpuBoundAsync(SyncExecutor executor, Action work)
    {
        var profile = executor.Workers.Profiles.Of(WorkProfiles.KeyOf(work));
        for (var i = 0; i < 50 && !profile.IsCpuBound; i++)
        {
            await executor.RunAsync(work).WaitAsync(TestHosts.HangGuard);
        }

        profile.IsCpuBound.ShouldBeTrue("the 3 ms items were never measured as CPU-bound");
    }
}
