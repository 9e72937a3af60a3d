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

    internal void Observe(SyncExecutor executor, WorkerThreads workers)
    {
        _meter.CreateObservableUpDownCounter("synccontext.executor.threads", () => executor.ThreadCount, "{thread}", "Worker threads alive.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.threads.limit", () => workers.ThreadLimit, "{thread}", "Worker threads the executor may run now: the limit it moves by completions per second under MaxThreads.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.queue.length", () => executor.QueueLength, "{item}", "Work items waiting for a worker, those held back for the CPU budget included.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.running", () => executor.RunningCount, "{item}", "Work items running now.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.running.cpu_bound", () => workers.CpuBoundRunningCount, "{item}", "Running work items whose work is CPU-bound, counted against the CPU budget.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.running.blocking", () => Math.Max(0, workers.RunningCount - workers.CpuBoundRunningCount), "{item}", "Running work items whose work blocks off the CPU (I/O-bound, or not measured yet).");
        _meter.CreateObservableUpDownCounter("synccontext.executor.cpu_budget", () => workers.CpuBudget, "{item}", "The most CPU-bound work items that run at once.");
        _meter.CreateObservableUpDownCounter("synccontext.executor.cpu_budget.held", () => workers.HeldCount, "{item}", "CPU-bound work items held back while the CPU budget is spent.");
    }

    internal void Rejected(WorkRejectionReason reason)
        => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason == WorkRejectionReason.QueueFull ? "queue_full" : "stopping"));
}
