using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class ThreadCpuTimeTests
{
    [Fact]
    public void Computing_adds_to_the_threads_CPU_time_and_sleeping_adds_far_less_than_it_lasts()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return;
        }

        ThreadCpuTime.TryGetCurrentThread(out var start).ShouldBeTrue();
        var busyUntil = Environment.TickCount64 + 200;
        var spins = 0L;
        while (Environment.TickCount64 < busyUntil)
        {
            spins++;
        }

        ThreadCpuTime.TryGetCurrentThread(out var afterComputing).ShouldBeTrue();
        Thread.Sleep(300);
        ThreadCpuTime.TryGetCurrentThread(out var afterSleeping).ShouldBeTrue();

        spins.ShouldBeGreaterThan(0);
        (afterComputing - start).ShouldBeGreaterThan(TimeSpan.Zero);
        (afterSleeping - afterComputing).ShouldBeLessThan(TimeSpan.FromMilliseconds(150), "a sleeping thread uses (almost) no CPU");
    }
}
