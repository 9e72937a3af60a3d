using System.Runtime.InteropServices;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Reads how much CPU time the calling thread has used, so that a worker can tell an item that computes
/// from one that blocks (CPU time against wall time). Not wired into the executor yet (issue 13).
/// </summary>
internal static class ThreadCpuTime
{
    /// <summary>Reads the calling thread's CPU time, user and kernel; <see langword="false"/> where the OS gives none.</summary>
    /// <param name="cpuTime">The CPU time the calling thread has used since it started.</param>
    public static bool TryGetCurrentThread(out TimeSpan cpuTime)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
        {
            if (NativeMethods.clock_gettime(NativeMethods.ClockThreadCpuTimeId, out var now) == 0)
            {
                cpuTime = TimeSpan.FromTicks((now.Seconds * TimeSpan.TicksPerSecond) + (now.Nanoseconds / TimeSpan.NanosecondsPerTick));
                return true;
            }
        }
        else if (OperatingSystem.IsWindows())
        {
            if (NativeMethods.GetThreadTimes(NativeMethods.GetCurrentThread(), out _, out _, out var kernel, out var user))
            {
                cpuTime = TimeSpan.FromTicks(kernel + user); // both in 100 ns units, the same as ticks
                return true;
            }
        }

        cpuTime = TimeSpan.Zero;
        return false;
    }

    private static class NativeMethods
    {
        /// <summary>Linux's and FreeBSD's <c>CLOCK_THREAD_CPUTIME_ID</c> (3 on Linux, 14 on FreeBSD).</summary>
        public static readonly int ClockThreadCpuTimeId = OperatingSystem.IsFreeBSD() ? 14 : 3;

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int clock_gettime(int clockId, out TimeSpec time);

        [DllImport("kernel32", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool GetThreadTimes(IntPtr thread, out long creation, out long exit, out long kernel, out long user);

        [DllImport("kernel32", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        public static extern IntPtr GetCurrentThread();

        [StructLayout(LayoutKind.Sequential)]
        public struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}
