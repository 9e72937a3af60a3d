using System.Diagnostics;
using System.Globalization;

namespace SyncContext.Load.Server;

/// <summary>
/// Threads of its own that only sleep, in a process of their own: what the I/O-like workload's blocking costs the machine
/// with no executor, no queue and no HTTP at all, the floor under any design that gives every blocked call a thread.
/// </summary>
internal static class Sleepers
{
    /// <summary>
    /// Starts <paramref name="threads"/> threads that each sleep 100 ms in a loop, waits 2 s, then prints the sleeps a
    /// second and the process's CPU per sleep over <paramref name="seconds"/>.
    /// </summary>
    public static int Run(int threads, int seconds)
    {
        long sleeps = 0;
        for (var i = 0; i < threads; i++)
        {
            new Thread(() =>
            {
                while (true)
                {
                    Thread.Sleep(100);
                    Interlocked.Increment(ref sleeps);
                }
            })
            { IsBackground = true }.Start();
        }

        Thread.Sleep(2000);
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sleeps0 = Interlocked.Read(ref sleeps);
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpu0;
        var done = Interlocked.Read(ref sleeps) - sleeps0;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{threads} bare sleepers: {done / seconds} sleeps/s, cpu {cpu.TotalMilliseconds:0} ms in {seconds} s, {cpu.TotalMicroseconds / Math.Max(done, 1):0.0} us per sleep"));
        return 0;
    }
}
