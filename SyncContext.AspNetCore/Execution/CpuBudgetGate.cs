namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Holds CPU-bound items back while the CPU budget is spent, and hands them out, oldest first, as CPU-bound
/// items finish. It asks <see cref="CpuBudgetPolicy"/>; I/O-bound items never pass through it.
/// </summary>
/// <remarks>
/// Nothing is ever held while a slot is free: an item is held only while CPU-bound items fill the budget, and
/// each of them, when it finishes, gives its slot back and looks here again before it waits for new work. So a
/// held item always has a running CPU-bound item that will hand it a slot. The lock is taken only for
/// CPU-bound items, which run for a quarter of a millisecond or more.
/// </remarks>
internal sealed class CpuBudgetGate
{
    private readonly Lock _lock = new();
    private readonly Queue<QueuedWork> _held = new();
    private readonly CpuBudgetPolicy _policy;
    private int _running;
    private volatile int _heldCount;

    public CpuBudgetGate(CpuBudgetPolicy policy) => _policy = policy;

    /// <summary>Gets the policy the gate asks.</summary>
    public CpuBudgetPolicy Policy => _policy;

    /// <summary>Gets the number of CPU-bound items running.</summary>
    public int RunningCount => Volatile.Read(ref _running);

    /// <summary>Gets the number of items held back for the budget.</summary>
    public int HeldCount => _heldCount;

    /// <summary>Takes a slot for <paramref name="item"/>, or holds it back; <see langword="true"/> when it may run now.</summary>
    public bool TryEnter(QueuedWork item)
    {
        lock (_lock)
        {
            // First come, first served: a new item does not overtake held ones.
            if (_held.Count == 0 && _policy.MayStart(_running, PoolPending()))
            {
                _running++;
                return true;
            }

            _held.Enqueue(item);
            _heldCount = _held.Count;
            return false;
        }
    }

    /// <summary>Takes a slot and the oldest held item, if the budget allows one more.</summary>
    public bool TryTakeHeld(out QueuedWork item)
    {
        item = default;
        if (_heldCount == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (_held.Count == 0 || !_policy.MayStart(_running, PoolPending()))
            {
                return false;
            }

            _running++;
            item = _held.Dequeue();
            _heldCount = _held.Count;
            return true;
        }
    }

    /// <summary>Gives back the slot of a CPU-bound item that finished.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            _running--;
        }
    }

    /// <summary>Takes back the held items that <paramref name="stillHeld"/> says may go, to be queued as I/O-bound work.</summary>
    public List<QueuedWork>? TakeReleased(Func<Task, bool> stillHeld)
        => _heldCount == 0 ? null : TakeWhere(static (item, stillHeld) => !stillHeld(item.Task), stillHeld);

    /// <summary>
    /// Takes back the held items that <paramref name="expired"/> says have waited too long
    /// (<see cref="SyncContextOptions.MaxQueueTime"/>), to be failed without running.
    /// </summary>
    public List<QueuedWork>? TakeExpired(Func<QueuedWork, bool> expired)
        => _heldCount == 0 ? null : TakeWhere(static (item, expired) => expired(item), expired);

    /// <summary>Gets when the longest-held item was queued, for the expiry timer; <see langword="false"/> when none is held.</summary>
    public bool TryGetOldestQueuedAt(out long queuedAt)
    {
        queuedAt = long.MaxValue;
        if (_heldCount == 0)
        {
            return false;
        }

        lock (_lock)
        {
            // Held in the order workers took them, which is not quite their queue order (items given back go round again).
            foreach (var item in _held)
            {
                queuedAt = Math.Min(queuedAt, item.QueuedAt);
            }

            return _held.Count > 0;
        }
    }

    private List<QueuedWork>? TakeWhere<TState>(Func<QueuedWork, TState, bool> take, TState state)
    {
        lock (_lock)
        {
            List<QueuedWork>? taken = null;
            var count = _held.Count;
            for (var i = 0; i < count; i++)
            {
                var item = _held.Dequeue();
                if (take(item, state))
                {
                    (taken ??= []).Add(item);
                }
                else
                {
                    _held.Enqueue(item); // goes round once, so the order of those still held is kept
                }
            }

            _heldCount = _held.Count;
            return taken;
        }
    }

    /// <summary>Takes a held item without a slot, for shutdown to fail it.</summary>
    public bool TryTakeAny([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Task? task)
    {
        lock (_lock)
        {
            var taken = _held.TryDequeue(out var item);
            task = item.Task;
            _heldCount = _held.Count;
            return taken;
        }
    }

    /// <summary>A snapshot of the held items, for debuggers.</summary>
    public Task[] HeldSnapshot()
    {
        lock (_lock)
        {
            return [.. _held.Select(static item => item.Task)];
        }
    }

    private long PoolPending() => _policy.WorkConserving ? ThreadPool.PendingWorkItemCount : 0;
}
