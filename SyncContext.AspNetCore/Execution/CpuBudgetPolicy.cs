namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Decides whether a CPU-bound item may start now: CPU-bound items running never exceed the budget, so the
/// cores beyond it stay free for async work. Fed counts, it knows nothing of threads, and is tested with
/// made-up numbers.
/// </summary>
/// <remarks>
/// Work-conserving, the budget widens to every core while the thread pool has no queued work
/// (<see cref="ThreadPool.PendingWorkItemCount"/>) and narrows as soon as it has some; strict, it never widens.
/// </remarks>
internal sealed class CpuBudgetPolicy
{
    /// <summary>Creates the policy.</summary>
    /// <param name="budget">The most CPU-bound items that run at once.</param>
    /// <param name="cores">The cores of the machine, the widest a work-conserving budget grows.</param>
    /// <param name="workConserving">Whether the budget widens while the thread pool has no queued work.</param>
    public CpuBudgetPolicy(int budget, int cores, bool workConserving)
    {
        Budget = budget;
        Cores = cores;
        WorkConserving = workConserving;
    }

    /// <summary>
    /// Gets or sets the most CPU-bound items that run at once while async work waits. Set when the configuration reloads;
    /// a wider budget lets held items start as running ones finish.
    /// </summary>
    public int Budget { get; set; }

    /// <summary>Gets the widest a work-conserving budget grows.</summary>
    public int Cores { get; }

    /// <summary>Gets whether the budget widens to <see cref="Cores"/> while the thread pool has no queued work.</summary>
    public bool WorkConserving { get; }

    /// <summary>The budget now.</summary>
    /// <param name="threadPoolPending">Work items queued on the thread pool, not yet started.</param>
    public int CurrentBudget(long threadPoolPending)
        => WorkConserving && threadPoolPending == 0 ? Math.Max(Budget, Cores) : Budget;

    /// <summary>Whether one more CPU-bound item may start.</summary>
    /// <param name="cpuBoundRunning">CPU-bound items running now.</param>
    /// <param name="threadPoolPending">Work items queued on the thread pool, not yet started.</param>
    public bool MayStart(int cpuBoundRunning, long threadPoolPending) => cpuBoundRunning < CurrentBudget(threadPoolPending);
}
