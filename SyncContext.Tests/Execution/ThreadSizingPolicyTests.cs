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
        => s_policy.ShouldStartThread(threads, waiting, idle, default).ShouldBe(start);

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
        policy.ShouldStartThread(threads: 3, waiting: 9, idle: 0, default).ShouldBeTrue();
        policy.ShouldStartThread(threads: 4, waiting: 9, idle: 0, default).ShouldBeFalse();
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
            .ShouldRetireAfterItem(threads, backlog: 0, default).ShouldBe(retire);

    [Fact]
    public void MinThreads_above_the_limit_raise_it()
        => new ThreadSizingPolicy(minThreads: 6, maxThreads: 16, TimeSpan.FromSeconds(30), new ThreadLimitController(floor: 1, cap: 16, initial: 4))
            .ThreadLimit.ShouldBe(6);

    private static readonly TimeSpan s_short = TimeSpan.FromMicroseconds(5);
    private static readonly TimeSpan s_long = TimeSpan.FromMilliseconds(100);

    private static ThreadSizingPolicy Eager(int eagerThreads)
        => new(minThreads: 0, maxThreads: 64, TimeSpan.FromSeconds(30), new ThreadLimitController(floor: 1, cap: 64, initial: 64), eagerThreads);

    [Fact]
    public void Below_the_eager_threads_a_thread_starts_for_waiting_items_whatever_the_pace()
        => Eager(4).ShouldStartThread(threads: 3, waiting: 1, idle: 0, new WorkPace(s_short, TimeSpan.Zero, Running: 3)).ShouldBeTrue();

    [Theory]
    [InlineData(5, 0, 4, false)] // short items, 28 waiting behind 4 busy workers: 35 us, taken soon
    [InlineData(100_000, 0, 4, true)] // 100 ms items: the backlog would wait for seconds
    [InlineData(5, 10, 4, true)] // short on average, but nothing finished for 10 ms: the busy workers are blocked
    [InlineData(0, 0, 4, true)] // nothing known of the work yet
    [InlineData(5, 0, 0, false)] // every worker woken, none on a core yet: still taken soon
    public void Beyond_the_eager_threads_a_thread_starts_only_when_the_waiting_items_would_keep_waiting(int meanMicroseconds, int sinceLastCompletionMs, int running, bool start)
    {
        var pace = new WorkPace(TimeSpan.FromMicroseconds(meanMicroseconds), TimeSpan.FromMilliseconds(sinceLastCompletionMs), running);

        Eager(4).ShouldStartThread(threads: 4, waiting: 28, idle: 0, pace).ShouldBe(start);
    }

    [Fact]
    public void A_backlog_of_short_items_long_enough_to_wait_a_millisecond_gets_a_thread()
    {
        // 4 busy workers on 5 us items: 800 waiting take 1 ms to drain.
        var pace = new WorkPace(s_short, TimeSpan.Zero, Running: 4);

        Eager(4).ShouldStartThread(threads: 4, waiting: 799, idle: 0, pace).ShouldBeFalse();
        Eager(4).ShouldStartThread(threads: 4, waiting: 800, idle: 0, pace).ShouldBeTrue();
    }

    [Theory]
    [InlineData(4, 28, 0, true)] // held back for the pace: ask again in case the workers are blocked
    [InlineData(3, 28, 0, false)] // below the eager threads a thread starts at once, nothing to ask later
    [InlineData(4, 2, 2, false)] // idle workers take them
    [InlineData(64, 28, 0, false)] // at the limit
    public void The_caller_asks_again_later_only_when_the_pace_alone_held_a_thread_back(int threads, int waiting, int idle, bool ask)
        => Eager(4).ShouldAskAgain(threads, waiting, idle).ShouldBe(ask);

    [Theory]
    [InlineData(5, 5, 0, true)] // short work, one thread beyond the eager ones, no backlog
    [InlineData(4, 5, 0, false)] // the eager threads stay
    [InlineData(5, 100_000, 0, false)] // long work keeps its threads (they retire after the idle timeout)
    [InlineData(5, 5, 800, false)] // short work, but a backlog that would wait a millisecond
    [InlineData(5, 0, 0, false)] // nothing known of the work yet
    public void Threads_beyond_the_eager_ones_retire_after_their_item_when_the_work_is_short(int threads, int meanMicroseconds, int backlog, bool retire)
        => Eager(4).ShouldRetireAfterItem(threads, backlog, new WorkPace(TimeSpan.FromMicroseconds(meanMicroseconds), TimeSpan.Zero, Running: 4)).ShouldBe(retire);

    [Theory]
    [InlineData(5, 10)] // short work: the busy workers free up within microseconds unless they stalled, so ask after a stall's length
    [InlineData(100_000, 1)] // long work: ask again as soon as the waiting items would have waited StartAfter
    [InlineData(0, 1)] // nothing known of the work yet
    public void The_caller_asks_again_after_a_stall_for_short_work_and_after_StartAfter_otherwise(int meanMicroseconds, int afterMs)
        => new WorkPace(TimeSpan.FromMicroseconds(meanMicroseconds), TimeSpan.Zero, Running: 4).AskAgainAfter.ShouldBe(TimeSpan.FromMilliseconds(afterMs));
}
