namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Where idle workers wait for the next queued item: a semaphore with one permit per item, whose waiters spin
/// (a few, as <see cref="IdleSpinPolicy"/> allows) and then park each on its own <see cref="WorkerParker"/>, and
/// which wakes the most recently parked worker first.
/// </summary>
/// <remarks>
/// <para>
/// The permits, the spinners and the workers woken but not yet back are one 64-bit word changed by
/// compare-and-swap, so a release sees them all at one instant. A release wakes a parked worker only when the
/// permits outnumber the spinners and the workers already woken: each of those takes a permit before it stops
/// spinning or waiting, or finds none left, so no permit is ever left behind with no worker coming for it.
/// </para>
/// <para>
/// Parked workers form a stack (LIFO): the one woken is the one that parked last, whose stack and caches are
/// warm, and under light load the same few workers take every item while the others stay parked until they
/// retire. Unlike <see cref="SemaphoreSlim"/>, a parked worker does not spin before it blocks and a release
/// takes no lock while a spinner is there to take the permit.
/// </para>
/// </remarks>
internal sealed class IdleWorkers
{
    // The state word: permits in bits 0-31, spinners in bits 32-39, woken workers in bits 40-63.
    private const long PermitUnit = 1;
    private const long SpinnerUnit = 1L << 32;
    private const long WokenUnit = 1L << 40;

    private readonly Lock _lock = new();
    private readonly List<WorkerParker> _parked = []; // the last one parked is at the end, and is woken first
    private readonly IdleSpinPolicy _spin;
    private long _state;

    /// <summary>Creates the waiting place.</summary>
    /// <param name="spin">Whether and how long a worker spins before it parks.</param>
    public IdleWorkers(IdleSpinPolicy spin) => _spin = spin;

    /// <summary>Gets the permits not yet taken: items queued that no worker has claimed.</summary>
    public int Permits => PermitsOf(Volatile.Read(ref _state));

    /// <summary>Gets the number of workers spinning now.</summary>
    public int Spinners => SpinnersOf(Volatile.Read(ref _state));

    /// <summary>Gets the number of workers parked now.</summary>
    public int ParkedCount
    {
        get
        {
            lock (_lock)
            {
                return _parked.Count;
            }
        }
    }

    /// <summary>Adds a permit for one item, and wakes a parked worker unless a spinner or a worker already woken will take it.</summary>
    public void Release()
    {
        var state = Volatile.Read(ref _state);
        while (true)
        {
            var wake = PermitsOf(state) + 1 > SpinnersOf(state) + WokenOf(state);
            var seen = Interlocked.CompareExchange(ref _state, state + PermitUnit + (wake ? WokenUnit : 0), state);
            if (seen == state)
            {
                if (wake)
                {
                    WakeOne();
                }

                return;
            }

            state = seen;
        }
    }

    /// <summary>Adds <paramref name="count"/> permits, waking a parked worker for each, so that every worker waiting sees what changed.</summary>
    public void Release(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Release();
        }
    }

    /// <summary>
    /// Takes a permit, spinning first if <paramref name="cpuBudgetSpent"/> and the policy allow, then parked on
    /// <paramref name="parker"/>; <see langword="false"/> when <paramref name="timeout"/> passed with none.
    /// </summary>
    /// <param name="parker">The calling worker's own parker.</param>
    /// <param name="timeout">How long to wait parked, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cpuBudgetSpent">Whether CPU-bound items fill the CPU budget, so no worker may spin.</param>
    public bool Wait(WorkerParker parker, TimeSpan timeout, bool cpuBudgetSpent)
        => TryTake() || TrySpin(cpuBudgetSpent) || Park(parker, timeout);

    private bool TryTake()
    {
        var state = Volatile.Read(ref _state);
        while (PermitsOf(state) > 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state - PermitUnit, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }

    /// <summary>Spins as a registered spinner while the policy allows; <see langword="true"/> when it took a permit.</summary>
    private bool TrySpin(bool cpuBudgetSpent)
    {
        var state = Volatile.Read(ref _state);
        int polls;
        while (true)
        {
            polls = _spin.SpinFor(SpinnersOf(state), cpuBudgetSpent);
            if (polls == 0)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _state, state + SpinnerUnit, state);
            if (seen == state)
            {
                break;
            }

            state = seen;
        }

        for (var i = 0; i < polls; i++)
        {
            Thread.SpinWait(20);
            state = Volatile.Read(ref _state);
            if (PermitsOf(state) > 0 && Interlocked.CompareExchange(ref _state, state - PermitUnit - SpinnerUnit, state) == state)
            {
                _spin.Caught();
                return true;
            }
        }

        // Stop spinning, and take a permit that came meanwhile in the same step: a release that counted this
        // spinner did not wake anyone for it.
        state = Volatile.Read(ref _state);
        while (true)
        {
            var took = PermitsOf(state) > 0;
            var seen = Interlocked.CompareExchange(ref _state, state - SpinnerUnit - (took ? PermitUnit : 0), state);
            if (seen == state)
            {
                if (took)
                {
                    _spin.Caught();
                }
                else
                {
                    _spin.RanOut();
                }

                return took;
            }

            state = seen;
        }
    }

    /// <summary>Parks until a release wakes this worker and it takes a permit, or the timeout passes.</summary>
    private bool Park(WorkerParker parker, TimeSpan timeout)
    {
        while (true)
        {
            lock (_lock)
            {
                // Checked under the lock a release takes to find a parked worker: a permit added after this
                // check finds this worker on the stack.
                if (TryTake())
                {
                    return true;
                }

                parker.IsParked = true;
                _parked.Add(parker);
            }

            if (!parker.Wait(timeout))
            {
                lock (_lock)
                {
                    if (parker.IsParked)
                    {
                        parker.IsParked = false;
                        _parked.Remove(parker);
                        return false;
                    }
                }

                // A release took this worker off the stack just as the wait ran out: its signal is on the way.
                parker.Wait(Timeout.InfiniteTimeSpan);
            }

            // Woken: no longer counted as woken, and take the permit unless a spinner or a new idle worker
            // was faster; then park again.
            var state = Volatile.Read(ref _state);
            while (true)
            {
                var took = PermitsOf(state) > 0;
                var seen = Interlocked.CompareExchange(ref _state, state - WokenUnit - (took ? PermitUnit : 0), state);
                if (seen == state)
                {
                    if (took)
                    {
                        return true;
                    }

                    break;
                }

                state = seen;
            }
        }
    }

    /// <summary>Wakes the most recently parked worker, for a release that counted it as woken.</summary>
    private void WakeOne()
    {
        WorkerParker? parker = null;
        lock (_lock)
        {
            if (_parked.Count > 0)
            {
                parker = _parked[^1];
                _parked.RemoveAt(_parked.Count - 1);
                parker.IsParked = false;
            }
            else
            {
                // Nobody parked: give the count back. Under the lock, so a worker that parks after this sees
                // the permit before it joins the stack.
                Interlocked.Add(ref _state, -WokenUnit);
            }
        }

        parker?.Signal();
    }

    private static int PermitsOf(long state) => (int)(state & uint.MaxValue);

    private static int SpinnersOf(long state) => (int)((state >> 32) & byte.MaxValue);

    private static int WokenOf(long state) => (int)((ulong)state >> 40);
}
