using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class ThreadRunClockTests
{
    [Fact]
    public void Schedstat_gives_nanoseconds_on_the_CPU_then_nanoseconds_waiting_on_a_run_queue()
    {
        ThreadRunClock.TryParse("385140 8031248 2\n"u8, out var cpu, out var runnable).ShouldBeTrue();

        cpu.ShouldBe(TimeSpan.FromTicks(3851));
        runnable.ShouldBe(TimeSpan.FromTicks(80312));
    }

    [Fact]
    public void Text_that_is_not_schedstat_is_refused()
        => ThreadRunClock.TryParse("x"u8, out _, out _).ShouldBeFalse();

    [Fact]
    public void Computing_adds_to_the_clocks_CPU_time()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return;
        }

        using var clock = ThreadRunClock.ForCurrentThread();
        clock.TryRead(out var cpuBefore, out var runnableBefore).ShouldBeTrue();
        CpuWork.Compute(TimeSpan.FromMilliseconds(20));
        clock.TryRead(out var cpuAfter, out var runnableAfter).ShouldBeTrue();

        (cpuAfter - cpuBefore).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(15));
        (runnableAfter - runnableBefore).ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
    }
}
