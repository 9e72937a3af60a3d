using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class ThreadLimitControllerTests
{
    private const int Clients = 256;

    /// <summary>Thread.Sleep(100) per request: each thread completes ten a second.</summary>
    private static double Blocked(int threads) => 10.0 * threads;

    /// <summary>Each request holds one of 32 pooled connections for 100 ms: threads beyond 32 only wait.</summary>
    private static double PoolOf32(int threads) => 10.0 * Math.Min(threads, 32);

    private static int Backlog(int threads) => Math.Max(0, Clients - threads);

    /// <summary>Behind a pool of 32 each item's wall time grows with the threads that wait for it (Little's law): 100 ms, plus the wait.</summary>
    private static double PoolOf32WallTime(int threads) => 100.0 * Math.Max(1, threads / 32.0);

    [Fact]
    public void Blocked_work_with_requests_waiting_gets_the_threads_it_needs_within_half_a_second_and_keeps_them()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var run = new Simulation(controller, Blocked, Backlog);

        var reached = run.StepUntil(() => controller.Limit >= Clients, TimeSpan.FromSeconds(5));
        run.Step(TimeSpan.FromSeconds(10));

        reached.ShouldBeLessThanOrEqualTo(TimeSpan.FromMilliseconds(500));
        run.Limits.Skip(run.Limits.Count - 100).Count(limit => limit == Clients).ShouldBeGreaterThanOrEqualTo(90, "a halving is tried now and then, and undone");
    }

    [Fact]
    public void Work_behind_a_pool_of_32_connections_settles_at_32_threads_never_above_128_and_keeps_the_pools_throughput()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var run = new Simulation(controller, PoolOf32, Backlog);

        run.Step(TimeSpan.FromSeconds(20));

        run.Limits.Max().ShouldBeLessThanOrEqualTo(128);
        var settled = run.Limits.Skip(run.Limits.Count / 2).ToList();
        settled.Count(limit => limit == 32).ShouldBeGreaterThan(settled.Count * 3 / 4);
        run.CompletionsPerSecond.ShouldBeGreaterThanOrEqualTo(300, "the probes cost less than a tenth of the pool's 320 a second");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Work_behind_a_pool_of_32_connections_with_noisy_completions_spends_most_of_its_time_at_128_threads_or_fewer(int seed)
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var noise = new Random(seed);
        var run = new Simulation(controller, threads => PoolOf32(threads) * (0.75 + (0.5 * noise.NextDouble())), Backlog);

        run.Step(TimeSpan.FromSeconds(30));

        var histogram = string.Join(", ", run.Limits.GroupBy(static l => l).OrderBy(static g => g.Key).Select(static g => $"{g.Key}: {g.Count()}"));
        run.Limits.Count(limit => limit <= 128).ShouldBeGreaterThan(run.Limits.Count * 9 / 10, histogram);
        run.CompletionsPerSecond.ShouldBeGreaterThanOrEqualTo(280);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Behind_a_pool_a_doubling_whose_items_got_slower_is_undone_even_when_noisy_completions_rose(int seed)
    {
        // Completions so noisy (0.5x-1.5x) that a doubling often looks like a gain of 1.3x or more.
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var noise = new Random(seed);
        var run = new Simulation(controller, threads => PoolOf32(threads) * (0.5 + noise.NextDouble()), Backlog, wallTime: PoolOf32WallTime);

        run.Step(TimeSpan.FromSeconds(30));

        var histogram = string.Join(", ", run.Limits.GroupBy(static l => l).OrderBy(static g => g.Key).Select(static g => $"{g.Key}: {g.Count()}"));
        run.Limits.Max().ShouldBeLessThanOrEqualTo(128, histogram);
        run.Limits.Count(limit => limit > 64).ShouldBeLessThanOrEqualTo(6, "at most two probes of three samples above 64 threads, each undone; " + histogram);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Behind_a_pool_no_doubling_is_tried_while_items_run_slower_than_the_fastest_seen_even_when_their_wall_time_lags(int seed)
    {
        // The items a doubling adds finish only after its measurement (their wall time shows 400 ms late), and
        // completions are noisy enough (0.5x-1.5x) to look like a gain now and then.
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var noise = new Random(seed);
        var limits = new Queue<int>(Enumerable.Repeat(32, 4)); // the first items of the flood ran as if 32 threads did
        var run = new Simulation(
            controller,
            threads => PoolOf32(threads) * (0.5 + noise.NextDouble()),
            Backlog,
            wallTime: threads =>
            {
                limits.Enqueue(threads);
                return PoolOf32WallTime(limits.Dequeue());
            });

        run.Step(TimeSpan.FromSeconds(30));

        var histogram = string.Join(", ", run.Limits.GroupBy(static l => l).OrderBy(static g => g.Key).Select(static g => $"{g.Key}: {g.Count()}"));
        run.Limits.Max().ShouldBeLessThanOrEqualTo(128, histogram);
        run.Limits.Count(limit => limit > 64).ShouldBeLessThanOrEqualTo(run.Limits.Count / 20, histogram);
    }

    [Fact]
    public void Blocked_work_whose_items_keep_their_wall_time_still_gets_its_threads()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var run = new Simulation(controller, Blocked, Backlog, wallTime: _ => 100);

        var reached = run.StepUntil(() => controller.Limit >= Clients, TimeSpan.FromSeconds(5));

        reached.ShouldBeLessThanOrEqualTo(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void Without_a_backlog_the_limit_stays_put()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var run = new Simulation(controller, Blocked, _ => 0, _ => 10); // ten requests in flight, 54 threads to spare

        run.Step(TimeSpan.FromSeconds(10));

        run.Limits.ShouldAllBe(limit => limit == 64);
    }

    [Fact]
    public void Blocked_work_at_its_cap_keeps_every_thread_for_the_first_five_seconds()
    {
        // S4: MaxThreads 64, 256 clients sleeping 100 ms: a halving a second in cost 3 % of the run's completions.
        var controller = new ThreadLimitController(floor: 2, cap: 64, initial: 64);
        var run = new Simulation(controller, Blocked, Backlog, wallTime: _ => 100);

        run.Step(TimeSpan.FromSeconds(5));

        run.Limits.ShouldAllBe(limit => limit == 64);
        run.CompletionsPerSecond.ShouldBe(640, tolerance: 1);
    }

    [Fact]
    public void Work_blocked_longer_than_a_sample_grows_to_the_cap_and_never_beyond()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 300, initial: 64);
        var run = new Simulation(controller, _ => 0, _ => 1000); // nothing completes, a thousand wait

        run.Step(TimeSpan.FromSeconds(3));

        run.Limits.Max().ShouldBe(300);
        controller.Limit.ShouldBe(300);
    }

    [Fact]
    public void Work_whose_completions_do_not_follow_the_threads_comes_down_to_the_floor_and_no_lower()
    {
        var controller = new ThreadLimitController(floor: 4, cap: 512, initial: 64);
        var run = new Simulation(controller, _ => 100, _ => 50);

        run.Step(TimeSpan.FromSeconds(10));

        run.Limits.Min().ShouldBe(4);
        run.Limits.Skip(run.Limits.Count / 2).Count(limit => limit == 4).ShouldBeGreaterThan(run.Limits.Count / 4);
    }

    [Fact]
    public void A_flood_whose_first_items_finish_after_the_first_measurement_never_doubles_twice_on_no_evidence()
    {
        // 300 ms behind a pool of 32: nothing completes in the first window, so the first doubling (64 -> 128) is
        // tried blindly and kept blindly; the items it started finish a window later, having waited for the pool.
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var limits = new Queue<int>(Enumerable.Repeat(32, 4)); // an item's wall time follows the limit it started under, 400 ms ago
        var run = new Simulation(
            controller,
            threads => Math.Min(threads, 32) / 0.3,
            Backlog,
            wallTime: threads =>
            {
                limits.Enqueue(threads);
                return 300 * Math.Max(1, limits.Dequeue() / 32.0);
            },
            firstCompletionAfter: 300);

        run.Step(TimeSpan.FromSeconds(10));

        var histogram = string.Join(", ", run.Limits.GroupBy(static l => l).OrderBy(static g => g.Key).Select(static g => $"{g.Key}: {g.Count()}"));
        run.Limits.Max().ShouldBeLessThanOrEqualTo(128, histogram);
    }

    [Fact]
    public void Blocked_work_whose_first_items_finish_after_the_first_measurement_still_gets_its_threads_within_a_second()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var run = new Simulation(controller, threads => threads / 0.3, Backlog, wallTime: _ => 300, firstCompletionAfter: 300);

        var reached = run.StepUntil(() => controller.Limit >= Clients, TimeSpan.FromSeconds(5));

        reached.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void After_the_executor_rested_a_move_waits_for_a_whole_measurement_of_the_new_load()
    {
        // A warm-up item, then a second of nothing, then a flood: the sample that spans the second says nothing.
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        controller.Observe(0, completed: 0, backlog: 0, busy: 1);
        controller.Observe(150, completed: 1, backlog: 0, busy: 0, wallTime: 50);
        controller.Rest();

        controller.Observe(1_150, completed: 1, backlog: 192, busy: 64, wallTime: 50).ShouldBe(64, "the flood's first observation starts a measurement");
        controller.Observe(1_250, completed: 33, backlog: 192, busy: 64, wallTime: 3_250).ShouldBe(64, "one sample of the flood is half a measurement");
        controller.Observe(1_350, completed: 65, backlog: 192, busy: 64, wallTime: 9_650).ShouldBe(128, "two samples of the flood, a backlog: a doubling");
    }

    [Theory]
    [InlineData(100, 128)] // blocked work: the items run 100 ms, as the ramp's did, and the threads double
    [InlineData(200, 64)] // behind a pool of 32: the items wait 100 ms for a connection, and nothing doubles
    public void A_flood_whose_completions_are_still_ramping_up_moves_nothing_until_a_steady_measurement(int steadyWallTime, int expected)
    {
        // 256 clients arrive at once: the first sample sees a few stragglers of what ran before, the second the flood's
        // first 32 items. Against that rate any steady one looks like a gain, and the ramp's items never waited yet.
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        controller.Observe(0, completed: 0, backlog: 192, busy: 64);
        controller.Observe(100, completed: 4, backlog: 192, busy: 64, wallTime: 400).ShouldBe(64);
        controller.Observe(200, completed: 36, backlog: 192, busy: 64, wallTime: 3_600).ShouldBe(64, "the second sample completed eight times the first: still ramping, so no doubling on it");

        controller.Observe(300, completed: 68, backlog: 192, busy: 64, wallTime: 3_600 + (32 * steadyWallTime)).ShouldBe(64);
        controller.Observe(400, completed: 100, backlog: 192, busy: 64, wallTime: 3_600 + (64 * steadyWallTime)).ShouldBe(expected);
    }

    /// <summary>A fake clock, and completions that follow the limit at once (after the first items' run time): one sample per 100 ms step.</summary>
    /// <param name="firstCompletionAfter">Milliseconds before anything completes: the first items' run time.</param>
    private sealed class Simulation(ThreadLimitController controller, Func<int, double> rate, Func<int, int> backlog, Func<int, int>? busy = null, Func<int, double>? wallTime = null, long firstCompletionAfter = 0)
    {
        private readonly Func<int, int> _busy = busy ?? (threads => threads); // every thread runs an item

        private long _now;
        private double _completed;
        private double _wallTime; // milliseconds, summed over the completed items; zero without a wall time model

        public List<int> Limits { get; } = [];

        public double CompletionsPerSecond => _completed * 1000 / _now;

        public void Step(TimeSpan duration) => StepUntil(() => false, duration);

        public TimeSpan StepUntil(Func<bool> done, TimeSpan duration)
        {
            var end = _now + (long)duration.TotalMilliseconds;
            controller.Observe(_now, (long)_completed, backlog(controller.Limit), _busy(controller.Limit), (long)_wallTime);
            while (_now < end && !done())
            {
                var completed = _now >= firstCompletionAfter ? rate(controller.Limit) * ThreadLimitController.SampleInterval / 1000 : 0;
                _completed += completed;
                _wallTime += completed * (wallTime?.Invoke(controller.Limit) ?? 0);
                _now += ThreadLimitController.SampleInterval;
                Limits.Add(controller.Observe(_now, (long)_completed, backlog(controller.Limit), _busy(controller.Limit), (long)_wallTime));
            }

            return TimeSpan.FromMilliseconds(_now);
        }
    }
}
