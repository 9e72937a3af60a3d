using System.Diagnostics.Metrics;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Diagnostics;

/// <summary>The executor's instruments, on the meter named <see cref="MeterName"/>.</summary>
public sealed class SyncContextMetrics
{
    /// <summary>The name of the meter.</summary>
    public const string MeterName = "SyncContext";

    private readonly Meter _meter;
    private readonly Counter<long> _rejected;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    public SyncContextMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _rejected = _meter.CreateCounter<long>("synccontext.work.rejected", "{item}", "Work items the executor refused, by reason.");
    }

    internal void Observe(SyncExecutor executor)
    {
        _meter.CreateObservableUpDownCounter("synccontext.executor.threads", () => executor.ThreadCount, "{thread}", "Worker threads alive.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.queue.length", () => executor.QueueLength, "{item}", "Work items waiting for a worker.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.running", () => executor.RunningCount, "{item}", "Work items running now.");
    }

    internal void Rejected(WorkRejectionReason reason)
        => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason == WorkRejectionReason.QueueFull ? "queue_full" : "stopping"));
}
