namespace SyncContext.AspNetCore.Execution;

/// <summary>One worker's place to block: woken by exactly one <see cref="Signal"/>, with no spin before it blocks.</summary>
internal sealed class WorkerParker
{
    private readonly object _gate = new();
    private bool _signaled;

    /// <summary>Gets or sets whether the worker is on <see cref="IdleWorkers"/>' stack; changed only under its lock.</summary>
    internal bool IsParked { get; set; }

    /// <summary>Blocks until signalled and consumes the signal; <see langword="false"/> when <paramref name="timeout"/> passed first.</summary>
    public bool Wait(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (!_signaled)
            {
                if (timeout == Timeout.InfiniteTimeSpan)
                {
                    while (!_signaled)
                    {
                        Monitor.Wait(_gate);
                    }
                }
                else
                {
                    var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
                    while (!_signaled)
                    {
                        var left = deadline - Environment.TickCount64;
                        if (left <= 0 || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                        {
                            if (!_signaled)
                            {
                                return false;
                            }
                        }
                    }
                }
            }

            _signaled = false;
            return true;
        }
    }

    /// <summary>Wakes the worker blocked in <see cref="Wait"/>, or the next call to it.</summary>
    public void Signal()
    {
        lock (_gate)
        {
            _signaled = true;
            Monitor.Pulse(_gate);
        }
    }
}
