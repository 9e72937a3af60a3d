namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Finds how many worker threads waiting work needs, between a floor and the hard cap, by completions per
/// second: while items wait for a thread it doubles the limit and keeps the step if completions rose, and
/// halves it and keeps the step if they held, so blocked work gets threads in a few tenths of a second and a
/// pool of 32 connections gets about 32. It is fed a clock, a completion count and a backlog and knows
/// nothing of threads, so it is tested with made-up samples.
/// </summary>
/// <remarks>
/// <para>
/// The .NET thread pool's hill climbing (<c>PortableThreadPool.HillClimbing</c>) is the model: the signal is
/// throughput, a move is kept only when the signal says so, and a failed move is waited out before it is
/// tried again. It moves one thread at a time every half second or so to stay gentle with CPU-bound work;
/// here the CPU budget already keeps CPU-bound work off the threads' count, so the steps are doublings every
/// two samples of <see cref="SampleInterval"/> (one to let the new threads start, one to measure).
/// </para>
/// <para>
/// Without a backlog nothing is learnt (completions follow the offered load, not the threads) and the limit
/// stays where it is; idle threads retire on their own timeout.
/// </para>
/// </remarks>
internal sealed class ThreadLimitController
{
    /// <summary>How long one measurement lasts.</summary>
    public const long SampleInterval = 100; // milliseconds

    /// <summary>A doubling is kept when completions rise by this factor at least.</summary>
    public const double GainToGrow = 1.2;

    /// <summary>A halving is kept when completions stay above this share of what they were.</summary>
    public const double ShareToShrink = 0.85;

    /// <summary>Samples waited out after a rejected doubling before the next try.</summary>
    public const int HoldAfterFailedGrowth = 5;

    /// <summary>Samples waited out after a rejected halving before the next try.</summary>
    public const int HoldAfterFailedShrink = 20;

    private Phase _phase;
    private bool _growNext = true;
    private int _settle;
    private int _hold;
    private int _baseLimit;
    private double _baseRate;
    private long _lastTime;
    private long _lastCompleted;
    private bool _started;

    /// <summary>Creates the controller.</summary>
    /// <param name="floor">The lowest limit it sets.</param>
    /// <param name="cap">The highest limit it sets: the user's <c>MaxThreads</c>.</param>
    /// <param name="initial">The limit it starts from.</param>
    public ThreadLimitController(int floor, int cap, int initial)
    {
        Floor = Math.Clamp(floor, 1, cap);
        Cap = cap;
        Limit = Math.Clamp(initial, Floor, cap);
    }

    /// <summary>Gets the lowest limit.</summary>
    public int Floor { get; }

    /// <summary>Gets the highest limit.</summary>
    public int Cap { get; }

    /// <summary>Gets how many threads may run now.</summary>
    public int Limit { get; private set; }

    /// <summary>Feeds one observation; returns the limit, changed at most once per <see cref="SampleInterval"/>.</summary>
    /// <param name="now">A clock in milliseconds.</param>
    /// <param name="completed">Items completed since the start, a running count.</param>
    /// <param name="backlog">Items waiting for a thread (not those held back for the CPU budget).</param>
    public int Observe(long now, long completed, int backlog)
    {
        if (!_started)
        {
            _started = true;
            _lastTime = now;
            _lastCompleted = completed;
            return Limit;
        }

        var elapsed = now - _lastTime;
        if (elapsed < SampleInterval)
        {
            return Limit;
        }

        var rate = (completed - _lastCompleted) * 1000.0 / elapsed;
        _lastTime = now;
        _lastCompleted = completed;

        if (_settle > 0)
        {
            _settle--; // the threads of the last move are still starting: this sample says nothing about it
            return Limit;
        }

        switch (_phase)
        {
            case Phase.Growing:
                if (rate >= _baseRate * GainToGrow)
                {
                    _phase = Phase.Steady;
                    _growNext = true;
                    if (backlog > 0)
                    {
                        Move(rate); // still short of threads: climb on at once
                    }
                }
                else
                {
                    Revert(grow: false, HoldAfterFailedGrowth);
                }

                break;

            case Phase.Shrinking:
                if (rate >= _baseRate * ShareToShrink)
                {
                    _phase = Phase.Steady;
                    _growNext = false;
                    if (backlog > 0)
                    {
                        Move(rate);
                    }
                }
                else
                {
                    Revert(grow: true, HoldAfterFailedShrink);
                }

                break;

            default:
                if (backlog == 0)
                {
                    break; // no demand: the rate follows the load, not the threads
                }

                if (_hold > 0)
                {
                    _hold--;
                    break;
                }

                Move(rate);
                break;
        }

        return Limit;
    }

    private void Move(double rate)
    {
        // Up after a kept doubling, down after a failed one; at the cap after growing, stay: blocked work that
        // completes nothing would halve as readily as it doubled, and fewer threads cannot help it.
        var grow = _growNext || Limit <= Floor;
        if (grow ? Limit >= Cap : Limit <= Floor)
        {
            return;
        }

        _baseLimit = Limit;
        _baseRate = rate;
        Limit = grow ? (int)Math.Min(Cap, 2L * Limit) : Math.Max(Floor, Limit / 2);
        _phase = grow ? Phase.Growing : Phase.Shrinking;
        _settle = 1;
    }

    private void Revert(bool grow, int hold)
    {
        Limit = _baseLimit;
        _phase = Phase.Steady;
        _growNext = grow;
        _hold = hold;
        _settle = 1;
    }

    private enum Phase
    {
        Steady,
        Growing,
        Shrinking,
    }
}
