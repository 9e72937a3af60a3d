namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// What the executor has learnt about one kind of work (one endpoint, one delegate): moving averages of its
/// items' wall time, CPU time and time spent runnable but waiting for a core, and from them whether the work
/// is CPU-bound. It is fed measurements and knows nothing of threads or clocks, so it is tested with made-up
/// numbers.
/// </summary>
/// <remarks>
/// <para>
/// Work becomes CPU-bound when its items compute for half the time they are not waiting for a core,
/// <c>cpu &gt;= 1/2 x (wall - runnable)</c>, and stops being CPU-bound when that share falls below a quarter,
/// so that one item stalled by a garbage collection or a lock does not flip it back and forth. Leaving the runnable wait out keeps the answer right when the
/// machine is overloaded, which is exactly when it matters: 64 hashing threads on 2 cores each get a
/// thirtieth of a core, and their CPU time against wall time alone would call them blocked.
/// </para>
/// <para>
/// Items shorter than <see cref="ShortItem"/> never hold a core long enough to delay async work, so short work
/// is never CPU-bound and is not measured beyond its wall time (the CPU clock costs a system call).
/// Work not seen yet is not CPU-bound either: the first items of a new endpoint run as I/O-bound work until
/// their measurements say otherwise.
/// </para>
/// <para>
/// Updates from several workers at once may race; a lost sample only slows the average down a little, so
/// the fields are plain 64-bit values read and written atomically, without a lock.
/// </para>
/// </remarks>
internal sealed class WorkProfile
{
    /// <summary>Work whose items take less wall time than this on average counts as short.</summary>
    public static readonly TimeSpan ShortItem = TimeSpan.FromMicroseconds(250);

    /// <summary>The weight of a new sample in the moving averages: one quarter.</summary>
    private const int WeightShift = 2;

    private long _wallTicks;
    private long _cpuTicks;
    private long _runnableTicks;
    private int _samples;
    private volatile bool _cpuBound;

    /// <summary>Gets whether items of this work count against the CPU budget.</summary>
    public bool IsCpuBound => _cpuBound;

    /// <summary>The items of long work that are all measured before its measurements are sampled.</summary>
    internal const int SettleSamples = 16;

    /// <summary>Long work that is not CPU-bound, once settled, has one item in this many measured.</summary>
    internal const int SampleEvery = 8;

    /// <summary>
    /// Gets whether the next item should be measured with the thread's CPU clock: work not seen yet, and long work; of long
    /// work that has settled as not CPU-bound (blocking I/O, the high-rate case), one item in <see cref="SampleEvery"/>.
    /// </summary>
    /// <remarks>
    /// A measurement costs two reads of the thread's CPU clock and run-queue wait (on Linux, <c>/proc/thread-self/schedstat</c>,
    /// a few microseconds of kernel time each): at thousands of blocking items a second that was about a sixth of the
    /// executor threads' CPU. CPU-bound work is measured on every item, so that it is released from the CPU budget as soon
    /// as it starts blocking; blocking work that turns CPU-bound is seen within a few dozen items instead of a few.
    /// </remarks>
    public bool NeedsCpuMeasurement
    {
        get
        {
            var samples = Volatile.Read(ref _samples);
            return samples == 0
                || (Volatile.Read(ref _wallTicks) >= ShortItem.Ticks && (_cpuBound || samples < SettleSamples || samples % SampleEvery == 0));
        }
    }

    /// <summary>Gets the average wall time of an item.</summary>
    public TimeSpan MeanWallTime => TimeSpan.FromTicks(Volatile.Read(ref _wallTicks));

    /// <summary>Gets the average CPU time of a measured item.</summary>
    public TimeSpan MeanCpuTime => TimeSpan.FromTicks(Volatile.Read(ref _cpuTicks));

    /// <summary>Gets the number of samples recorded (saturating).</summary>
    public int Samples => Volatile.Read(ref _samples);

    /// <summary>Records one item measured with the CPU clock.</summary>
    /// <param name="wall">The item's wall time.</param>
    /// <param name="cpu">The CPU time the worker used running it.</param>
    /// <param name="runnable">The time the worker was ready to run but waited for a core (zero where the OS does not say).</param>
    /// <returns>Whether the work stopped being CPU-bound with this sample, so that items held back for the budget may go.</returns>
    public bool Record(TimeSpan wall, TimeSpan cpu, TimeSpan runnable)
    {
        var first = Volatile.Read(ref _samples) == 0;
        Volatile.Write(ref _wallTicks, first ? wall.Ticks : Mix(Volatile.Read(ref _wallTicks), wall.Ticks));
        Volatile.Write(ref _cpuTicks, first ? cpu.Ticks : Mix(Volatile.Read(ref _cpuTicks), cpu.Ticks));
        Volatile.Write(ref _runnableTicks, first ? runnable.Ticks : Mix(Volatile.Read(ref _runnableTicks), runnable.Ticks));
        return Count();
    }

    /// <summary>Records one item of short work, measured by its wall time only.</summary>
    /// <param name="wall">The item's wall time.</param>
    /// <returns>Whether the work stopped being CPU-bound with this sample.</returns>
    public bool RecordWallTime(TimeSpan wall)
    {
        Volatile.Write(ref _wallTicks, Volatile.Read(ref _samples) == 0 ? wall.Ticks : Mix(Volatile.Read(ref _wallTicks), wall.Ticks));
        return Count();
    }

    private static long Mix(long mean, long sample) => mean + ((sample - mean) >> WeightShift);

    private bool Count()
    {
        if (Volatile.Read(ref _samples) < int.MaxValue)
        {
            Interlocked.Increment(ref _samples);
        }

        var wall = Volatile.Read(ref _wallTicks);
        var cpu = Volatile.Read(ref _cpuTicks);
        var wanted = Math.Max(0, wall - Volatile.Read(ref _runnableTicks)); // the time it ran or blocked
        var was = _cpuBound;
        var cpuBound = wall >= ShortItem.Ticks && cpu > 0 && (was ? 4 * cpu >= wanted : 2 * cpu >= wanted);
        _cpuBound = cpuBound;
        return was && !cpuBound;
    }
}
