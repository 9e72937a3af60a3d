using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class QueueWaitPolicyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public void The_first_run_time_is_taken_as_it_is_and_each_later_one_moves_the_mean_by_an_eighth()
    {
        var policy = new QueueWaitPolicy(Bound, new FakeTimeProvider());

        policy.MeanRunTime.ShouldBe(TimeSpan.Zero);
        policy.RecordRunTime(TimeSpan.FromMilliseconds(800));
        policy.MeanRunTime.ShouldBe(TimeSpan.FromMilliseconds(800));
        policy.RecordRunTime(TimeSpan.FromMilliseconds(1600));
        policy.MeanRunTime.ShouldBe(TimeSpan.FromMilliseconds(900));
        policy.RecordRunTime(TimeSpan.FromMilliseconds(100));
        policy.MeanRunTime.ShouldBe(TimeSpan.FromMilliseconds(800));
    }

    [Theory]
    [InlineData(1, 1, 100)]
    [InlineData(10, 1, 1000)]
    [InlineData(10, 4, 250)]
    [InlineData(64, 64, 100)]
    [InlineData(0, 4, 0)] // a free worker takes it at once
    [InlineData(-3, 4, 0)]
    public void The_predicted_wait_is_the_position_times_the_mean_run_time_over_the_threads(int position, int threads, int expectedMilliseconds)
    {
        var policy = new QueueWaitPolicy(Bound, new FakeTimeProvider());
        policy.RecordRunTime(TimeSpan.FromMilliseconds(100));

        policy.PredictWait(position, threads).ShouldBe(TimeSpan.FromMilliseconds(expectedMilliseconds));
    }

    [Fact]
    public void An_arrival_is_refused_only_once_its_predicted_wait_exceeds_the_bound()
    {
        var policy = new QueueWaitPolicy(Bound, new FakeTimeProvider());
        policy.RecordRunTime(TimeSpan.FromMilliseconds(500));

        policy.ShouldRefuse(position: 8, threads: 2, out var atTheBound).ShouldBeFalse("2 s is not more than 2 s");
        atTheBound.ShouldBe(Bound);
        policy.ShouldRefuse(position: 9, threads: 2, out var beyond).ShouldBeTrue();
        beyond.ShouldBe(TimeSpan.FromMilliseconds(2250));
    }

    [Fact]
    public void Before_any_run_time_is_known_nothing_is_refused_for_its_prediction()
    {
        var policy = new QueueWaitPolicy(Bound, new FakeTimeProvider());

        policy.ShouldRefuse(position: 1_000_000, threads: 1, out var predicted).ShouldBeFalse();
        predicted.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Without_a_bound_nothing_is_refused_nor_has_waited_too_long()
    {
        var policy = new QueueWaitPolicy(Timeout.InfiniteTimeSpan, new FakeTimeProvider());
        policy.RecordRunTime(TimeSpan.FromSeconds(10));

        policy.IsBounded.ShouldBeFalse();
        policy.ShouldRefuse(position: 1000, threads: 1, out _).ShouldBeFalse();
        policy.HasWaitedTooLong(TimeSpan.FromDays(1)).ShouldBeFalse();
    }

    [Fact]
    public void The_wait_of_a_stamped_item_is_read_from_the_clock_and_judged_against_the_bound()
    {
        var clock = new FakeTimeProvider();
        var policy = new QueueWaitPolicy(Bound, clock);
        var queuedAt = policy.Now;

        clock.Advance(TimeSpan.FromSeconds(2));
        policy.WaitedSince(queuedAt).ShouldBe(TimeSpan.FromSeconds(2));
        policy.HasWaitedTooLong(policy.WaitedSince(queuedAt)).ShouldBeFalse();

        clock.Advance(TimeSpan.FromMilliseconds(1));
        policy.HasWaitedTooLong(policy.WaitedSince(queuedAt)).ShouldBeTrue();
    }
}
