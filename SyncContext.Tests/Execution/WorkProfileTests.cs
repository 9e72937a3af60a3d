using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class WorkProfileTests
{
    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void Work_not_seen_yet_is_not_CPU_bound_and_is_measured()
    {
        var profile = new WorkProfile();

        profile.IsCpuBound.ShouldBeFalse();
        profile.NeedsCpuMeasurement.ShouldBeTrue();
    }

    [Fact]
    public void Work_that_computes_for_its_whole_wall_time_is_CPU_bound()
    {
        var profile = new WorkProfile();

        profile.Record(wall: Ms(20), cpu: Ms(19), runnable: TimeSpan.Zero);

        profile.IsCpuBound.ShouldBeTrue();
    }

    [Fact]
    public void Work_that_computes_on_an_overloaded_machine_is_CPU_bound_although_it_waits_most_of_its_wall_time_for_a_core()
    {
        var profile = new WorkProfile();

        // 64 hashing threads on 2 cores: 20 ms of CPU in 640 ms, 620 of them waiting on a run queue.
        profile.Record(wall: Ms(640), cpu: Ms(20), runnable: Ms(620));

        profile.IsCpuBound.ShouldBeTrue();
    }

    [Theory]
    [InlineData(100, 0.05)] // Thread.Sleep(100)
    [InlineData(100, 10)] // a query that parses its result for a tenth of its time
    public void Work_that_blocks_off_the_CPU_is_not_CPU_bound(double wallMs, double cpuMs)
    {
        var profile = new WorkProfile();

        profile.Record(wall: Ms(wallMs), cpu: Ms(cpuMs), runnable: TimeSpan.Zero);

        profile.IsCpuBound.ShouldBeFalse();
    }

    [Fact]
    public void Short_work_is_never_CPU_bound_and_is_timed_by_the_wall_clock_alone()
    {
        var profile = new WorkProfile();

        profile.Record(wall: TimeSpan.FromMicroseconds(20), cpu: TimeSpan.FromMicroseconds(20), runnable: TimeSpan.Zero);

        profile.IsCpuBound.ShouldBeFalse();
        profile.NeedsCpuMeasurement.ShouldBeFalse();
    }

    [Fact]
    public void Short_work_that_grows_long_is_measured_again()
    {
        var profile = new WorkProfile();
        profile.Record(wall: TimeSpan.FromMicroseconds(20), cpu: TimeSpan.FromMicroseconds(20), runnable: TimeSpan.Zero);

        for (var i = 0; i < 8; i++)
        {
            profile.RecordWallTime(Ms(5));
        }

        profile.NeedsCpuMeasurement.ShouldBeTrue();
    }

    [Fact]
    public void Settled_blocking_work_is_measured_one_item_in_eight_and_CPU_bound_work_every_item()
    {
        var blocking = new WorkProfile();
        var cpuBound = new WorkProfile();
        var blockingMeasured = 0;
        var cpuBoundMeasured = 0;
        for (var i = 0; i < 160; i++)
        {
            if (blocking.NeedsCpuMeasurement)
            {
                blockingMeasured++;
                blocking.Record(wall: Ms(100), cpu: Ms(0.05), runnable: TimeSpan.Zero);
            }
            else
            {
                blocking.RecordWallTime(Ms(100));
            }

            if (cpuBound.NeedsCpuMeasurement)
            {
                cpuBoundMeasured++;
                cpuBound.Record(wall: Ms(20), cpu: Ms(20), runnable: TimeSpan.Zero);
            }
            else
            {
                cpuBound.RecordWallTime(Ms(20));
            }
        }

        // The first 16 items, then one in eight of the other 144.
        blockingMeasured.ShouldBe(WorkProfile.SettleSamples + ((160 - WorkProfile.SettleSamples) / WorkProfile.SampleEvery));
        cpuBoundMeasured.ShouldBe(160);
    }

    [Fact]
    public void Blocking_work_that_turns_CPU_bound_is_seen_within_a_few_dozen_items()
    {
        var profile = new WorkProfile();
        for (var i = 0; i < 100; i++)
        {
            profile.Record(wall: Ms(100), cpu: Ms(0.05), runnable: TimeSpan.Zero);
        }

        var items = 0;
        while (!profile.IsCpuBound && items < 1000)
        {
            items++;
            if (profile.NeedsCpuMeasurement)
            {
                profile.Record(wall: Ms(20), cpu: Ms(20), runnable: TimeSpan.Zero);
            }
            else
            {
                profile.RecordWallTime(Ms(20));
            }
        }

        profile.IsCpuBound.ShouldBeTrue();
        items.ShouldBeLessThanOrEqualTo(4 * WorkProfile.SampleEvery);
    }

    [Fact]
    public void One_item_stalled_off_the_CPU_does_not_stop_work_being_CPU_bound()
    {
        var profile = new WorkProfile();
        profile.Record(wall: Ms(5), cpu: Ms(5), runnable: TimeSpan.Zero);

        // One item waits 50 ms for a garbage collection: its share of CPU is a tenth.
        profile.Record(wall: Ms(55), cpu: Ms(5), runnable: TimeSpan.Zero).ShouldBeFalse();

        profile.IsCpuBound.ShouldBeTrue();
    }

    [Fact]
    public void Work_that_starts_blocking_stops_being_CPU_bound_and_says_so_once()
    {
        var profile = new WorkProfile();
        profile.Record(wall: Ms(20), cpu: Ms(20), runnable: TimeSpan.Zero);

        var flips = Enumerable.Range(0, 10).Count(_ => profile.Record(wall: Ms(100), cpu: Ms(0.1), runnable: TimeSpan.Zero));

        profile.IsCpuBound.ShouldBeFalse();
        flips.ShouldBe(1);
    }

    [Fact]
    public void Profiles_are_kept_per_delegate_method_and_per_keyed_work()
    {
        var profiles = new WorkProfiles();
        Action first = () => { };
        Action second = () => { };
        var endpoint = new object();

        // As the executor queues it: the delegate is the task's state.
        static Task Queued(Action work) => new(static w => ((Action)w!)(), work);

        profiles.Of(Queued(first)).ShouldBeSameAs(profiles.Of(Queued(first)));
        profiles.Of(Queued(first)).ShouldNotBeSameAs(profiles.Of(Queued(second)));
        profiles.Of(new Task(_ => { }, new Keyed(endpoint))).ShouldBeSameAs(profiles.Of(new Task(_ => { }, new Keyed(endpoint))));
        profiles.Of(new Task(_ => { }, new Keyed(endpoint))).ShouldNotBeSameAs(profiles.Of(new Task(_ => { }, new Keyed(new object()))));
    }

    [Fact]
    public void Keys_beyond_the_table_size_share_one_profile()
    {
        var profiles = new WorkProfiles();
        for (var i = 0; i < WorkProfiles.MaxKinds; i++)
        {
            profiles.Of(new object());
        }

        profiles.Of(new object()).ShouldBeSameAs(profiles.Of(new object()));
    }

    private sealed class Keyed(object key) : IKeyedWork
    {
        public object WorkKey => key;
    }
}
