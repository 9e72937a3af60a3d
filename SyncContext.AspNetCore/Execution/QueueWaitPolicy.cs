namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Bounds how long a work item may wait in the queue (<see cref="SyncContextOptions.MaxQueueTime"/>). It knows nothing
/// of threads or queues: it is fed run times, asked with a queue position and a thread count, and reads its clock, so
/// it is tested with made-up samples and a fake clock.
/// </summary>
/// <remarks>
/// <para>
/// The prediction is the queue's drain time: an item at position <c>p</c> (the items ahead of it that no free worker
/// takes at once, itself included) behind <c>n</c> threads starts after about <c>p × mean run time / n</c>. The mean is
/// an exponentially weighted moving average of the items' run times with a weight of 1/8 per sample, so it follows a
/// change of the work within a few dozen items and one slow item moves it by an eighth. Before the first sample the
/// prediction is zero: an executor that has not run anything yet admits up to its queue bound, and the check when a
/// worker takes the item still applies.
/// </para>
/// <para>
/// Samples arrive from every worker at once. The average is updated with a compare-and-swap loop; a sample lost to a
/// race would only make the estimate a little older, which an estimate can afford.
/// </para>
/// </remarks>
internal sealed class QueueWaitPolicy
{
    private const int WeightShift = 3; // each sample moves the mean by 1/8 of its difference

    private readonly TimeProvider _clock;
    private long _meanRunTicks;

    /// <summary>Creates the policy.</summary>
    /// <param name="maxQueueTime">The longest an item may wait, or <see cref="Timeout.InfiniteTimeSpan"/> for no bound.</param>
    /// <param name="clock">The clock whose timestamps items are stamped with when they are queued.</param>
    public QueueWaitPolicy(TimeSpan maxQueueTime, TimeProvider clock)
    {
        MaxQueueTime = maxQueueTime;
        IsBounded = maxQueueTime != Timeout.InfiniteTimeSpan;
        _clock = clock;
    }

    /// <summary>Gets the longest an item may wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan MaxQueueTime { get; }

    /// <summary>Gets whether waits are bounded at all; when not, the executor need not feed or ask the policy.</summary>
    public bool IsBounded { get; }

    /// <summary>Gets the moving average of the run times fed so far, or zero before the first.</summary>
    public TimeSpan MeanRunTime => TimeSpan.FromTicks(Volatile.Read(ref _meanRunTicks));

    /// <summary>Gets the timestamp to stamp an item with when it is queued.</summary>
    public long Now => _clock.GetTimestamp();

    /// <summary>Feeds the run time of one item that a worker finished.</summary>
    public void RecordRunTime(TimeSpan runTime)
    {
        var sample = Math.Max(0, runTime.Ticks);
        while (true)
        {
            var mean = Volatile.Read(ref _meanRunTicks);

            // The first sample is taken as it is, so that the mean does not climb from zero over dozens of items.
            var next = mean == 0 ? Math.Max(1, sample) : mean + ((sample - mean) >> WeightShift);
            if (Interlocked.CompareExchange(ref _meanRunTicks, Math.Max(1, next), mean) == mean)
            {
                return;
            }
        }
    }

    /// <summary>Predicts how long an item waits before a worker takes it.</summary>
    /// <param name="position">The items ahead of it that no free worker takes at once, itself included.</param>
    /// <param name="threads">The threads that drain the queue.</param>
    public TimeSpan PredictWait(int position, int threads)
    {
        if (position <= 0)
        {
            return TimeSpan.Zero;
        }

        var mean = Volatile.Read(ref _meanRunTicks);
        return TimeSpan.FromTicks((long)Math.Min(TimeSpan.MaxValue.Ticks, (double)position * mean / Math.Max(1, threads)));
    }

    /// <summary>Gets whether an arriving item should be refused at once, because its predicted wait already exceeds the bound.</summary>
    /// <param name="position">The items ahead of it that no free worker takes at once, itself included.</param>
    /// <param name="threads">The threads that drain the queue.</param>
    /// <param name="predicted">The predicted wait.</param>
    public bool ShouldRefuse(int position, int threads, out TimeSpan predicted)
    {
        predicted = IsBounded ? PredictWait(position, threads) : TimeSpan.Zero;
        return IsBounded && predicted > MaxQueueTime;
    }

    /// <summary>Gets how long an item stamped with <paramref name="queuedAt"/> has waited.</summary>
    public TimeSpan WaitedSince(long queuedAt) => _clock.GetElapsedTime(queuedAt);

    /// <summary>Gets whether an item that waited <paramref name="waited"/> must fail instead of running.</summary>
    public bool HasWaitedTooLong(TimeSpan waited) => IsBounded && waited > MaxQueueTime;
}
