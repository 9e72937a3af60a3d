using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Diagnostics;

/// <summary>The executor's instruments, on the meter named <see cref="MeterName"/>.</summary>
/// <remarks>
/// Named and shaped as .NET's own (<c>dotnet.thread_pool.*</c>, <c>aspnetcore.rate_limiting.*</c>) and OpenTelemetry's
/// conventions: durations are histograms in seconds with explicit bucket advice, counts are counters of
/// <c>{item}</c>, and every measurement carries the executor's name (<c>synccontext.executor.name</c>) and, for work
/// that serves an endpoint, its route template (<c>http.route</c>). Nothing is measured while no listener has enabled
/// the instrument.
/// </remarks>
public sealed class SyncContextMetrics
{
    /// <summary>The name of the meter.</summary>
    public const string MeterName = "SyncContext";

    internal const string ExecutorTag = "synccontext.executor.name";
    internal const string RouteTag = "http.route";
    internal const string ResultTag = "synccontext.work.result";
    internal const string RejectionReasonTag = "synccontext.rejection.reason";
    internal const string ErrorTypeTag = "error.type";

    // Queue waits of a warm executor are microseconds; those of a saturated one seconds.
    private static readonly double[] s_queueBuckets = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    // ASP.NET Core's request-duration buckets, with sub-millisecond ones for short sync work in front.
    private static readonly double[] s_runBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];

    private readonly Meter _meter;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _completed;
    private readonly Histogram<double> _queueDuration;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<long> _backgroundCompleted;
    private readonly Counter<long> _backgroundRejected;
    private readonly List<(SyncExecutor Executor, WorkerThreads Workers)> _observed = [];

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public SyncContextMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _rejected = _meter.CreateCounter<long>(
            "synccontext.work.rejected",
            "{item}",
            "Work items the executor refused without running them, by reason (synccontext.rejection.reason: queue_full, queue_timeout, stopping).");
        _completed = _meter.CreateCounter<long>("synccontext.work.completed", "{item}", "Work items a worker ran to the end, successfully or not.");
        _queueDuration = _meter.CreateHistogram(
            "synccontext.work.queue.duration",
            "s",
            "The time work items waited in the executor's queue before a worker took them.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = s_queueBuckets });
        _runDuration = _meter.CreateHistogram(
            "synccontext.work.run.duration",
            "s",
            "The time work items ran on a worker.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = s_runBuckets });
        _backgroundCompleted = _meter.CreateCounter<long>(
            "synccontext.background.completed",
            "{item}",
            "Background work items (IBackgroundWork) that ran to the end; those that threw carry error.type, the exception's type.");
        _backgroundRejected = _meter.CreateCounter<long>(
            "synccontext.background.rejected",
            "{item}",
            "Background work items IBackgroundWork.Add refused, by reason (synccontext.rejection.reason: queue_full, stopping).");
    }

    /// <summary>Gets whether anyone listens to the queue durations.</summary>
    internal bool QueueDurationEnabled => _queueDuration.Enabled;

    /// <summary>Gets whether anyone listens to the run durations or the completed count.</summary>
    internal bool RunEnabled => _runDuration.Enabled || _completed.Enabled;

    internal static string ResultName(WorkResult result) => result switch
    {
        WorkResult.Started => "started",
        WorkResult.Canceled => "canceled",
        _ => "queue_timeout",
    };

    internal static string ReasonName(WorkRejectionReason reason) => reason switch
    {
        WorkRejectionReason.QueueFull => "queue_full",
        WorkRejectionReason.QueueTimeout => "queue_timeout",
        _ => "stopping",
    };

    /// <summary>
    /// Adds <paramref name="executor"/> to the gauges: one instrument of each name for every executor, each measurement
    /// tagged with its executor's name.
    /// </summary>
    internal void Observe(SyncExecutor executor, WorkerThreads workers)
    {
        lock (_observed)
        {
            _observed.Add((executor, workers));
            if (_observed.Count > 1)
            {
                return;
            }
        }

        Gauge("synccontext.executor.threads", static (e, _) => e.ThreadCount, "{thread}", "Worker threads alive.");
        Gauge("synccontext.executor.threads.limit", static (_, w) => w.ThreadLimit, "{thread}", "Worker threads the executor may run now: the limit it moves by completions per second under MaxThreads.");
        Gauge("synccontext.executor.queue.length", static (e, _) => e.QueueLength, "{item}", "Work items waiting for a worker, those held back for the CPU budget included.");
        Gauge("synccontext.executor.running", static (e, _) => e.RunningCount, "{item}", "Work items running now.");
        Gauge("synccontext.executor.running.cpu_bound", static (_, w) => w.CpuBoundRunningCount, "{item}", "Running work items whose work is CPU-bound, counted against the CPU budget.");
        Gauge("synccontext.executor.running.blocking", static (_, w) => Math.Max(0, w.RunningCount - w.CpuBoundRunningCount), "{item}", "Running work items whose work blocks off the CPU (I/O-bound, or not measured yet).");
        Gauge("synccontext.executor.cpu_budget", static (_, w) => w.CpuBudget, "{item}", "The most CPU-bound work items that run at once.");
        Gauge("synccontext.executor.cpu_budget.held", static (_, w) => w.HeldCount, "{item}", "CPU-bound work items held back while the CPU budget is spent.");
    }

    /// <summary>Adds the gauge of background work queued or running, read from <paramref name="pending"/>.</summary>
    internal void ObserveBackground(Func<int> pending)
        => _meter.CreateObservableUpDownCounter("synccontext.background.pending", pending, "{item}", "Background work items queued or running.");

    internal void BackgroundCompleted(Exception? failure)
    {
        if (!_backgroundCompleted.Enabled)
        {
            return;
        }

        if (failure is null)
        {
            _backgroundCompleted.Add(1);
        }
        else
        {
            _backgroundCompleted.Add(1, new KeyValuePair<string, object?>(ErrorTypeTag, failure.GetType().FullName));
        }
    }

    internal void BackgroundRejected(WorkRejectionReason reason)
    {
        if (_backgroundRejected.Enabled)
        {
            _backgroundRejected.Add(1, new KeyValuePair<string, object?>(RejectionReasonTag, ReasonName(reason)));
        }
    }

    private void Gauge(string name, Func<SyncExecutor, WorkerThreads, int> read, string unit, string description)
        => _meter.CreateObservableUpDownCounter(name, () => Measure(read), unit, description);

    private List<Measurement<int>> Measure(Func<SyncExecutor, WorkerThreads, int> read)
    {
        lock (_observed)
        {
            var measurements = new List<Measurement<int>>(_observed.Count);
            foreach (var (executor, workers) in _observed)
            {
                measurements.Add(new Measurement<int>(read(executor, workers), new KeyValuePair<string, object?>(ExecutorTag, executor.Name)));
            }

            return measurements;
        }
    }

    internal void Rejected(string executor, WorkRejectionReason reason)
    {
        if (_rejected.Enabled)
        {
            _rejected.Add(1, new KeyValuePair<string, object?>(ExecutorTag, executor), new KeyValuePair<string, object?>(RejectionReasonTag, ReasonName(reason)));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void QueueDuration(string executor, string? route, TimeSpan waited, WorkResult result)
    {
        var tags = Tags(executor, route);
        tags.Add(ResultTag, ResultName(result));
        _queueDuration.Record(waited.TotalSeconds, tags);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void Ran(string executor, string? route, TimeSpan ranFor)
    {
        var tags = Tags(executor, route);
        _runDuration.Record(ranFor.TotalSeconds, tags);
        _completed.Add(1, tags);
    }

    private static TagList Tags(string executor, string? route)
    {
        var tags = new TagList { { ExecutorTag, executor } };
        if (route is not null)
        {
            tags.Add(RouteTag, route);
        }

        return tags;
    }
}
