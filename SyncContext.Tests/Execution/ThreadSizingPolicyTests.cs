using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class ThreadSizingPolicyTests
{
    private static readonly ThreadSizingPolicy s_policy = new(minThreads: 2, maxThreads: 4, idleTimeout: TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(0, 1, 0, true)] // no thread yet, one item waits
    [InlineData(2, 3, 2, true)] // more waiting than idle
    [InlineData(2, 2, 2, false)] // every waiting item has an idle worker to wake
    [InlineData(3, 0, 0, false)] // nothing waits
    [InlineData(4, 9, 0, false)] // at the cap
    public void A_thread_starts_only_when_more_items_wait_than_workers_idle_and_below_the_cap(int threads, int waiting, int idle, bool start)
        => s_policy.ShouldStartThread(threads, waiting, idle).ShouldBe(start);

    [Theory]
    [InlineData(3, 30, true)]
    [InlineData(3, 29, false)] // not idle long enough
    [InlineData(2, 60, false)] // at the floor
    public void An_idle_worker_retires_after_the_idle_timeout_only_above_MinThreads(int threads, int idleSeconds, bool retire)
        => s_policy.MayRetire(threads, TimeSpan.FromSeconds(idleSeconds)).ShouldBe(retire);
}
