namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Finds how many worker threads waiting work needs, between a floor and the hard cap, by completions per
/// second: while items wait for a thread it doubles the limit and keeps the step if completions rose, and
/// halves it and keeps the step if they held, so blocked work gets threads in about half a second and a
/// pool of 32 connections gets about 32 (a flood whose first items are still finishing is measured once more before the first move). A doubling after which the items' own mean wall time grew is undone
/// even when completions seemed to rise: behind a pool, more threads make each item wait longer. It is fed a
/// clock, a completion count, a backlog and the items' wall time and knows nothing of threads, so it is tested
/// with made-up samples.
/// </summary>
/// <remarks>
/// <para>
/// The .NET thread pool's hill climbing (<c>PortableThreadPool.HillClimbing</c>) is the model: the signal is
/// throughput, a move is kept only when the signal says so, and a failed move is waited out before it is
/// tried again. It superimposes a slow wave on the thread count and reads the throughput's answer at that
/// wave's frequency, which needs many samples of up to 200 ms and moves a few threads at a time; that is right
/// for the pool's mix of short items, and far too slow for 256 requests blocked for 100 ms each. Here the CPU
/// budget already keeps CPU-bound work from asking for threads, so the moves are doublings and halvings every
/// two samples of <see cref="SampleInterval"/> (one to let the new threads start, one to measure).
/// </para>
/// <para>
/// Without a backlog, and with threads to spare, nothing is learnt (completions follow the offered load, not the
/// threads) and the limit stays where it is; idle threads retire on their own timeout. Without a backlog but with
/// every thread busy, only a halving is tried, and after a failed one the limit rests for
/// <see cref="HoldAfterFailedShrink"/> samples, so work that needs all its threads loses a few percent to the probes.
/// A limit that reached the cap with items still waiting rests as long (<see cref="HoldAtCap"/>) before it looks below:
/// with nothing above, the halving only asks whether the climb was noise, and a flood of blocked items at a user's
/// <c>MaxThreads</c> would otherwise pay half its threads for a measurement a second after it starts.
/// </para>
/// </remarks>
internal sealed class ThreadLimitController
{
    /// <summary>How long one measurement lasts.</summary>
    public const long SampleInterval = 100; // milliseconds

    /// <summary>Samples one measurement adds up: completions come in bursts (32 connections freed together), so one sample is too noisy.</summary>
    public const int SamplesPerMeasurement = 2;

    /// <summary>
    /// A measurement whose second sample completed more than this many times what its first did was still ramping up
    /// (a flood's first items finish only after their run time): no move starts from it, since any steady rate would
    /// beat it and its items had not waited yet.
    /// </summary>
    public const double RampShare = 2;

    /// <summary>A doubling is kept when completions rise by this factor at least.</summary>
    public const double GainToGrow = 1.3;

    /// <summary>A halving is kept when completions stay above this share of what they were: ties go to fewer threads.</summary>
    public const double ShareToShrink = 0.75;

    /// <summary>
    /// A doubling is undone, whatever completions did, when the items' own mean wall time grew by this factor:
    /// behind a pool each item waits longer as threads are added while completions stay flat (Little's law), so
    /// a burst of completions that looks like a gain is told apart from one by the items getting slower.
    /// </summary>
    public const double WallTimeGrowthToReject = 1.5;

    /// <summary>
    /// No doubling is tried while the items' mean wall time is this factor above the fastest seen under a backlog:
    /// the items already wait for something the threads share. Tighter than <see cref="WallTimeGrowthToReject"/>,
    /// since the fastest seen already counts some waiting (the first items of a flood queue for the pool too).
    /// </summary>
    public const double WallTimeGrowthToHold = 1.25;

    /// <summary>
    /// How much the fastest mean wall time seen may rise per measurement: the memory of how fast items ran fades
    /// in seconds, so work whose items became slower for good (a slower backend) may grow its threads again.
    /// </summary>
    public const double FastestWallTimeDrift = 1.01;

    /// <summary>Samples waited out after a rejected doubling before the next try.</summary>
    public const int HoldAfterFailedGrowth = 5;

    /// <summary>Samples waited out after a rejected halving before the next try.</summary>
    public const int HoldAfterFailedShrink = 50;

    /// <summary>Samples a limit that reached the cap waits out before it tries a halving.</summary>
    public const int HoldAtCap = HoldAfterFailedShrink;

    private readonly int _initial;
    private Phase _phase;
    private bool _growNext = true;
    private int _settle;
    private int _hold;
    private int _baseLimit;
    private double _baseRate;
    private double _baseWall;
    private double _fastestWall;
    private long _lastWall;
    private long _windowWall;
    private long _lastTime;
    private long _lastCompleted;
    private long _windowCompleted;
    private long _windowFirstDone; // what the window's first sample completed, to tell a ramp from a steady rate
    private long _windowTime;
    private int _windowSamples;
    private bool _started;
    private volatile bool _rested;

    /// <summary>Creates the controller.</summary>
    /// <param name="floor">The lowest limit it sets.</param>
    /// <param name="cap">The highest limit it sets: the user's <c>MaxThreads</c>.</param>
    /// <param name="initial">The limit it starts from.</param>
    public ThreadLimitController(int floor, int cap, int initial)
    {
        Floor = Math.Clamp(floor, 1, cap);
        Cap = cap;
        _initial = initial;
        Limit = Math.Clamp(initial, Floor, cap);
    }

    /// <summary>Gets the lowest limit.</summary>
    public int Floor { get; private set; }

    /// <summary>Gets the highest limit.</summary>
    public int Cap { get; private set; }

    /// <summary>Gets how many threads may run now.</summary>
    public int Limit { get; private set; }

    /// <summary>
    /// Moves the floor and the cap (<c>MaxThreads</c> changed at run time). A limit the old cap held down rises to where
    /// it would have started under the new one; a limit above the new cap comes down to it. What was being measured is
    /// dropped: the next move starts from the new limit.
    /// </summary>
    /// <param name="floor">The lowest limit it sets.</param>
    /// <param name="cap">The highest limit it sets.</param>
    public void Rebound(int floor, int cap)
    {
        var heldByCap = Limit >= Cap;
        Cap = cap;
        Floor = Math.Clamp(floor, 1, cap);
        Limit = Math.Clamp(heldByCap ? Math.Max(Limit, _initial) : Limit, Floor, cap);
        _phase = Phase.Steady;
        _growNext = true;
        _hold = 0;
        _settle = 1;
        _windowCompleted = _windowTime = _windowSamples = 0;
        _windowWall = 0;
        _baseLimit = Limit;
    }

    /// <summary>
    /// Says the executor ran out of work (nothing running, nothing queued), from any thread: the sample that spans the
    /// idle time measured the load, not the threads, so the next observation starts a new measurement. Without this, the
    /// first sample of a flood that follows an idle second holds that second and a few stray completions of the load
    /// before: a rate of about zero, which a doubling then beats blindly.
    /// </summary>
    public void Rest()
    {
        if (!_rested)
        {
            _rested = true;
        }
    }

    /// <summary>Feeds one observation; returns the limit, changed at most once per <see cref="SampleInterval"/>.</summary>
    /// <param name="now">A clock in milliseconds.</param>
    /// <param name="completed">Items completed since the start, a running count.</param>
    /// <param name="backlog">Items waiting for a thread (not those held back for the CPU budget).</param>
    /// <param name="busy">Threads running an item.</param>
    /// <param name="wallTime">The wall time of the items completed since the start, a running total in any unit (zero when not known).</param>
    public int Observe(long now, long completed, int backlog, int busy, long wallTime = 0)
    {
        if (!_started || _rested)
        {
            // The first observation, or the first after the executor rested: a measurement starts here. A move under
            // way is neither kept nor undone by a window of other load; the limit stays and the next move starts from it.
            _started = true;
            _rested = false;
            _windowCompleted = _windowTime = _windowSamples = 0;
            _windowWall = 0;
            if (_phase != Phase.Steady)
            {
                _phase = Phase.Steady;
                _baseLimit = Limit;
            }

            _lastTime = now;
            _lastCompleted = completed;
            _lastWall = wallTime;
            return Limit;
        }

        var elapsed = now - _lastTime;
        if (elapsed < SampleInterval)
        {
            return Limit;
        }

        var done = completed - _lastCompleted;
        var wall = wallTime - _lastWall;
        _lastTime = now;
        _lastCompleted = completed;
        _lastWall = wallTime;

        if (_settle > 0)
        {
            _settle--; // the threads of the last move are still starting: this sample says nothing about it
            return Limit;
        }

        _windowCompleted += done;
        _windowTime += elapsed;
        _windowWall += wall;
        if (++_windowSamples == 1)
        {
            _windowFirstDone = done;
        }

        if (_windowSamples < SamplesPerMeasurement)
        {
            return Limit;
        }

        // Completions still ramping up (a flood's first items finishing in its second sample, not its first): the rate
        // is below what these threads do, and a doubling measured against it gains on no evidence.
        var ramped = _windowFirstDone * RampShare < done;
        var rate = _windowCompleted * 1000.0 / _windowTime;
        var meanWall = _windowCompleted > 0 ? (double)_windowWall / _windowCompleted : 0;
        _windowCompleted = _windowTime = _windowSamples = 0;
        _windowWall = 0;
        if (meanWall > 0 && backlog > 0) // the items that ask for threads, not a trickle of trivial ones
        {
            _fastestWall = _fastestWall > 0 ? Math.Min(meanWall, _fastestWall * FastestWallTimeDrift) : meanWall;
        }

        switch (_phase)
        {
            case Phase.Growing:
                // Items that got slower as the threads doubled wait for something else (a pool), whatever the
                // completions of this window say.
                var slower = (_baseWall > 0 && meanWall >= _baseWall * WallTimeGrowthToReject)
                    || (_fastestWall > 0 && meanWall >= _fastestWall * WallTimeGrowthToHold);
                if (rate >= _baseRate * GainToGrow && !slower)
                {
                    _phase = Phase.Steady;
                    _growNext = true;
                    if (backlog > 0 && _baseRate > 0 && !ramped)
                    {
                        Move(rate, meanWall); // still short of threads: climb on at once
                    }

                    // A doubling from a window where nothing completed was kept on no evidence (any rate beats
                    // zero): this window is the first real measurement, so the next move waits for one more, in
                    // which the items the doubling started have finished and show whether they waited. A window
                    // still ramping up starts no move either.
                }
                else
                {
                    Revert(grow: false, HoldAfterFailedGrowth);
                }

                break;

            case Phase.Shrinking:
                if (_baseRate > 0 && rate >= _baseRate * ShareToShrink) // nothing completing says nothing about fewer threads
                {
                    _phase = Phase.Steady;
                    _growNext = false;
                    if (backlog > 0 && !ramped)
                    {
                        Move(rate, meanWall);
                    }
                }
                else
                {
                    Revert(grow: true, HoldAfterFailedShrink);
                }

                break;

            default:
                // Without a backlog more threads would get no work; while every thread is busy, fewer may do as
                // well (256 requests each holding a thread while they queue for 32 connections). Otherwise the
                // rate follows the load, not the threads, and there is nothing to learn.
                var saturated = busy >= Limit;
                if (backlog == 0 && !saturated)
                {
                    break;
                }

                if (ramped)
                {
                    // Completions still ramping up (a flood's first items finishing): neither the rate nor the items'
                    // wall time is what these threads do yet, and a doubling measured against them would gain on no
                    // evidence. The next measurement decides.
                    break;
                }

                if (_hold > 0)
                {
                    _hold--;
                    break;
                }

                if (backlog == 0)
                {
                    _growNext = false;
                }

                Move(rate, meanWall);
                break;
        }

        return Limit;
    }

    private void Move(double rate, double meanWall)
    {
        // Up after a kept doubling, down after a failed one.
        var grow = _growNext || Limit <= Floor;
        if (grow && Limit >= Cap)
        {
            // Nothing above: look below after a while, in case the climb here was noise.
            _growNext = false;
            _hold = HoldAtCap;
            return;
        }

        if (!grow && Limit <= Floor)
        {
            return;
        }

        // Items running much slower than they did with fewer threads wait for something the threads share (a
        // pool): a doubling's completions follow a burst, not the threads, and its new threads would only wait.
        // The wall time of the items a doubling adds shows only after they finish, too late for its own measurement.
        if (grow && _fastestWall > 0 && meanWall >= _fastestWall * WallTimeGrowthToHold)
        {
            _growNext = false;
            _hold = HoldAfterFailedGrowth;
            return;
        }

        _windowCompleted = _windowTime = _windowSamples = 0;
        _windowWall = 0;
        _baseLimit = Limit;
        _baseRate = rate;
        _baseWall = meanWall;
        Limit = grow ? (int)Math.Min(Cap, 2L * Limit) : Math.Max(Floor, Limit / 2);
        _phase = grow ? Phase.Growing : Phase.Shrinking;
        _settle = 1;
    }

    private void Revert(bool grow, int hold)
    {
        _windowCompleted = _windowTime = _windowSamples = 0;
        _windowWall = 0;
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
