namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Decides whether an idle worker spins before it parks, and for how long: never while CPU-bound items fill the CPU
/// budget, and for longer only while spinning has recently caught work. Fed outcomes, it knows nothing of threads,
/// and is tested with made-up numbers. That one idle worker spins at a time is <see cref="WorkerThreads"/>' rule.
/// </summary>
/// <remarks>
/// <para>
/// A spin pays off when an item arrives before the spin runs out: it then costs a few microseconds instead of a
/// kernel wake-up of a parked worker. A spin that runs out is CPU taken from the threads that would have sent the
/// work (on a small machine, from Kestrel and the thread pool), even though it yields its core to them between
/// polls. So the spin length halves each time a spin runs out, down to <see cref="MinSpin"/>, and doubles each
/// time one catches an item, up to <see cref="MaxSpin"/>:
/// long spins while items arrive faster than a wake-up, short ones while they arrive slower (work that blocks
/// for I/O, where hundreds of workers finish and idle at random moments).
/// </para>
/// <para>
/// A spinning worker is sync work on a core, so no worker spins while CPU-bound items hold the whole CPU budget.
/// </para>
/// </remarks>
internal sealed class IdleSpinPolicy
{
    private int _spinLimit;

    /// <summary>Creates the policy.</summary>
    /// <param name="maxSpin">The longest spin, in polls (<see cref="SyncContextOptions.SpinCount"/>); zero never spins.</param>
    public IdleSpinPolicy(int maxSpin)
    {
        MaxSpin = maxSpin;
        MinSpin = maxSpin == 0 ? 0 : Math.Max(1, maxSpin / 16);
        _spinLimit = maxSpin;
    }

    /// <summary>Gets the longest spin, in polls.</summary>
    public int MaxSpin { get; }

    /// <summary>Gets the shortest spin, in polls, kept so that a rise in arrivals is noticed.</summary>
    public int MinSpin { get; }

    /// <summary>Gets the length of the next spin, in polls.</summary>
    public int SpinLimit => Volatile.Read(ref _spinLimit);

    /// <summary>How many polls an idle worker spins now before it parks; zero parks at once.</summary>
    /// <param name="cpuBudgetSpent">Whether CPU-bound items fill the CPU budget now.</param>
    public int SpinFor(bool cpuBudgetSpent) => cpuBudgetSpent ? 0 : SpinLimit;

    /// <summary>A spin caught an item: spin longer next time.</summary>
    public void Caught()
    {
        // Races between workers only lose an adjustment; the length stays within its bounds either way.
        var limit = Volatile.Read(ref _spinLimit);
        if (limit < MaxSpin)
        {
            Volatile.Write(ref _spinLimit, Math.Min(MaxSpin, limit * 2));
        }
    }

    /// <summary>A spin ran out with no item: spin shorter next time.</summary>
    public void RanOut()
    {
        var limit = Volatile.Read(ref _spinLimit);
        if (limit > MinSpin)
        {
            Volatile.Write(ref _spinLimit, Math.Max(MinSpin, limit / 2));
        }
    }
}
