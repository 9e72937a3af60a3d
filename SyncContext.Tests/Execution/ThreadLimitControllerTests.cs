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

    [Fact]
    public void Blocked_work_with_requests_waiting_gets_the_threads_it_needs_within_half_a_second_and_keeps_them()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var run = new Simulation(controller, Blocked, Backlog);

        var reached = run.StepUntil(() => controller.Limit >= Clients, TimeSpan.FromSeconds(5));
        run.Step(TimeSpan.FromSeconds(10));

        reached.ShouldBeLessThanOrEqualTo(TimeSpan.FromMilliseconds(500));
        run.Limits.Skip(run.Limits.Count - 100).ShouldAllBe(limit => limit == Clients, "no backlog left, nothing to learn");
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

    [Fact]
    public void Without_a_backlog_the_limit_stays_put()
    {
        var controller = new ThreadLimitController(floor: 2, cap: 512, initial: 64);
        var run = new Simulation(controller, Blocked, _ => 0);

        run.Step(TimeSpan.FromSeconds(10));

        run.Limits.ShouldAllBe(limit => limit == 64);
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

    /// <summary>A fake clock, and completions that follow the limit at once: one sample per 100 ms step.</summary>
    private sealed class Simulation(ThreadLimitController controller, Func<int, double> rate, Func<int, int> backlog)
    {
        private long _now;
        private double _completed;

        public List<int> Limits { get; } = [];

        public double CompletionsPerSecond => _completed * 1000 / _now;

        public void Step(TimeSpan duration) => StepUntil(() => false, duration);

        public TimeSpan StepUntil(Func<bool> done, TimeSpan duration)
        {
            var end = _now + (long)duration.TotalMilliseconds;
            controller.Observe(_now, (long)_completed, backlog(controller.Limit));
            while (_now < end && !done())
            {
                _completed += rate(controller.Limit) * ThreadLimitController.SampleInterval / 1000;
                _now += ThreadLimitController.SampleInterval;
                Limits.Add(controller.Observe(_now, (long)_completed, backlog(controller.Limit)));
            }

            return TimeSpan.FromMilliseconds(_now);
        }
    }
}
