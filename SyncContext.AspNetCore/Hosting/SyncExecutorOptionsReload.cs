using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Hosting;

/// <summary>
/// Applies an executor's reloaded options while it runs (<see cref="IOptionsMonitor{TOptions}"/>: a configuration
/// bound with <c>AddSyncContext(IConfiguration)</c> whose source reloads): the thread bounds, the idle timeout, the queue's
/// bound and the CPU budget move at once; a change to an option read only at start is logged once, as needing a restart.
/// </summary>
/// <remarks>
/// A reload that fails validation never gets here (the options monitor throws instead of handing it on), so the executor
/// keeps its last valid options. A source that signals twice for one change (a file watcher) is answered once: each
/// reload is compared with the options last seen.
/// </remarks>
internal sealed class SyncExecutorOptionsReload : IDisposable
{
    private readonly SyncExecutor _executor;
    private readonly string _optionsName;
    private readonly ILogger _logger;
    private readonly IDisposable? _subscription;
    private readonly Lock _lock = new();
    private Snapshot _seen;

    public SyncExecutorOptionsReload(SyncExecutor executor, string optionsName, SyncContextOptions started, IOptionsMonitor<SyncContextOptions> monitor, ILogger? logger)
    {
        _executor = executor;
        _optionsName = optionsName;
        _logger = logger ?? NullLogger.Instance;
        _seen = Snapshot.Of(started);
        _subscription = monitor.OnChange(OnChange);
    }

    private void OnChange(SyncContextOptions options, string? name)
    {
        if ((name ?? Options.DefaultName) != _optionsName)
        {
            return;
        }

        lock (_lock)
        {
            var now = Snapshot.Of(options);
            if (now == _seen)
            {
                return;
            }

            var restartOnly = _seen.RestartOnlyChanges(now);
            if (restartOnly.Count > 0)
            {
                Log.ExecutorOptionsNeedRestart(_logger, _executor.Name, string.Join(", ", restartOnly));
            }

            if (!now.SameLive(_seen))
            {
                _executor.Reconfigure(options);
                Log.ExecutorReconfigured(_logger, _executor.Name, options.MaxThreads, options.MinThreads, options.QueueLimit, options.CpuBudget, options.IdleTimeout);
            }

            _seen = now;
        }
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>The options' values, compared between reloads (the options object itself may be changed by anyone).</summary>
    private readonly record struct Snapshot(
        int MaxThreads, int MinThreads, int QueueLimit, int CpuBudget, TimeSpan IdleTimeout,
        string ThreadNamePrefix, bool ThreadAffinity, int SpinCount, TimeSpan RetryAfter, bool AllowSynchronousIO, bool CpuBudgetWorkConserving,
        TimeSpan MaxQueueTime)
    {
        public static Snapshot Of(SyncContextOptions o) => new(
            o.MaxThreads, o.MinThreads, o.QueueLimit, o.CpuBudget, o.IdleTimeout,
            o.ThreadNamePrefix, o.ThreadAffinity, o.SpinCount, o.RetryAfter, o.AllowSynchronousIO, o.CpuBudgetWorkConserving,
            o.MaxQueueTime);

        public bool SameLive(Snapshot other)
            => MaxThreads == other.MaxThreads && MinThreads == other.MinThreads && QueueLimit == other.QueueLimit
               && CpuBudget == other.CpuBudget && IdleTimeout == other.IdleTimeout;

        public List<string> RestartOnlyChanges(Snapshot after)
        {
            List<string> changed = [];
            Add(ThreadNamePrefix != after.ThreadNamePrefix, nameof(SyncContextOptions.ThreadNamePrefix));
            Add(ThreadAffinity != after.ThreadAffinity, nameof(SyncContextOptions.ThreadAffinity));
            Add(SpinCount != after.SpinCount, nameof(SyncContextOptions.SpinCount));
            Add(RetryAfter != after.RetryAfter, nameof(SyncContextOptions.RetryAfter));
            Add(AllowSynchronousIO != after.AllowSynchronousIO, nameof(SyncContextOptions.AllowSynchronousIO));
            Add(CpuBudgetWorkConserving != after.CpuBudgetWorkConserving, nameof(SyncContextOptions.CpuBudgetWorkConserving));
            Add(MaxQueueTime != after.MaxQueueTime, nameof(SyncContextOptions.MaxQueueTime));
            return changed;

            void Add(bool differs, string option)
            {
                if (differs)
                {
                    changed.Add(option);
                }
            }
        }
    }
}
