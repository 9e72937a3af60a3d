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

    [Fact]
    public void Threads_start_only_up_to_the_limit_the_controller_sets_below_MaxThreads()
    {
        var policy = new ThreadSizingPolicy(minThreads: 0, maxThreads: 16, TimeSpan.FromSeconds(30), new ThreadLimitController(floor: 1, cap: 16, initial: 4));

        policy.ThreadLimit.ShouldBe(4);
        policy.ShouldStartThread(threads: 3, waiting: 9, idle: 0).ShouldBeTrue();
        policy.ShouldStartThread(threads: 4, waiting: 9, idle: 0).ShouldBeFalse();
        policy.CanStartThread(threads: 4).ShouldBeTrue("the kept minimum may start up to MaxThreads");
    }

    [Fact]
    public void The_limit_rises_with_a_backlog_and_completions_that_follow_the_threads()
    {
        var policy = new ThreadSizingPolicy(minThreads: 0, maxThreads: 16, TimeSpan.FromSeconds(30), new ThreadLimitController(floor: 1, cap: 16, initial: 4));

        policy.Observe(now: 0, completed: 0, backlog: 10, busy: 4).ShouldBeFalse();
        policy.Observe(now: 100, completed: 2, backlog: 10, busy: 4).ShouldBeFalse("one sample is half a measurement");
        policy.Observe(now: 200, completed: 4, backlog: 10, busy: 4).ShouldBeTrue();

        policy.ThreadLimit.ShouldBe(8);
    }

    [Theory]
    [InlineData(5, true)] // the limit came down to 4 while 5 threads lived
    [InlineData(4, false)]
    public void A_worker_above_the_limit_retires_after_its_item(int threads, bool retire)
        => new ThreadSizingPolicy(minThreads: 0, maxThreads: 16, TimeSpan.FromSeconds(30), new ThreadLimitController(floor: 1, cap: 16, initial: 4))
            .ShouldRetireAfterItem(threads).ShouldBe(retire);

    [Fact]
    public void MinThreads_above_the_limit_raise_it()
        => new ThreadSizingPolicy(minThreads: 6, maxThreads: 16, TimeSpan.FromSeconds(30), new ThreadLimitController(floor: 1, cap: 16, initial: 4))
            .ThreadLimit.ShouldBe(6);
}
