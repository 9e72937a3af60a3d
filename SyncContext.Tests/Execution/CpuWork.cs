using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

/// <summary>Work that is CPU-bound by construction: it spins until the thread has used the CPU time asked for.</summary>
internal static class CpuWork
{
    public static void Compute(TimeSpan cpu)
    {
        if (!ThreadCpuTime.TryGetCurrentThread(out var start))
        {
            return;
        }

        while (ThreadCpuTime.TryGetCurrentThread(out var now) && now - start < cpu)
        {
            Thread.SpinWait(50);
        }
    }

    /// <summary>Raises <paramref name="max"/> to <paramref name="value"/> if it is lower.</summary>
    public static void RaiseTo(ref int max, int value)
    {
        var seen = Volatile.Read(ref max);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref max, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
