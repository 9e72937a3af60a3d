using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Hosting;

/// <summary>
/// Stops the executors (the default one and each named one, side by side) with the host so that every request they
/// took either completes or is answered <c>503</c> while its connection is still open.
/// </summary>
/// <remarks>
/// <para>
/// The host stops in this order, all within <see cref="HostOptions.ShutdownTimeout"/>: lifecycle services'
/// <see cref="IHostedLifecycleService.StoppingAsync"/>, <c>ApplicationStopping</c>, hosted services'
/// <c>StopAsync</c> in reverse order (Kestrel's among them: it stops accepting, waits for the requests in
/// flight, and resets the connections still open when the timeout runs out), then
/// <see cref="IHostedLifecycleService.StoppedAsync"/>. Stopping the executor in <c>StoppedAsync</c> is too late:
/// queued requests would be failed after Kestrel had reset their connections.
/// </para>
/// <para>
/// So when stopping begins the executor keeps running queued work, and at a deadline of
/// <see cref="AbandonMargin"/> before the shutdown timeout (or at once if the host's token fires first) it stops:
/// what is still queued is abandoned (its requests are answered <c>503</c> with <c>Retry-After</c>) while the
/// connections are open. If the server drains first, the executor stops in <c>StoppedAsync</c> instead, after
/// the app's own shutdown hooks (registered after it, so stopped before it) have used it.
/// </para>
/// </remarks>
internal sealed class SyncExecutorLifetime(SyncExecutors executors, IOptions<HostOptions> hostOptions) : IHostedLifecycleService, IDisposable
{
    // Resolved when the host creates its services, so every named executor starts with the app and is drained with it.
    private readonly SyncExecutor[] _executors = [.. executors.All()];

    private static readonly TimeSpan MaxAbandonMargin = TimeSpan.FromSeconds(5);

    private CancellationTokenSource? _deadline;
    private Task? _stopping;

    /// <summary>
    /// How long before the host's shutdown timeout queued work is abandoned: a third of the timeout, at most
    /// 5 seconds. The margin lets the items already running finish (they are not interrupted) and the
    /// abandoned requests' <c>503</c>s be written before Kestrel resets what is left; writing a <c>503</c>
    /// takes milliseconds, a running handler as long as it takes, so most of the margin is for those. Two
    /// thirds of the timeout (all but 5 s of the default 30 s) are left for draining the queue.
    /// </summary>
    /// <param name="shutdownTimeout">The host's shutdown timeout.</param>
    internal static TimeSpan AbandonMargin(TimeSpan shutdownTimeout)
        => TimeSpan.FromTicks(Math.Min(shutdownTimeout.Ticks / 3, MaxAbandonMargin.Ticks));

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        var timeout = hostOptions.Value.ShutdownTimeout;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan && timeout < TimeSpan.MaxValue)
        {
            _deadline.CancelAfter(timeout - AbandonMargin(timeout));
        }

        // Not awaited: the host goes on to tell the server to stop while the queue drains.
        foreach (var executor in _executors)
        {
            executor.BeginShutdown();
        }

        _stopping = StopAtDeadlineAsync(_deadline.Token);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Stops now unless the deadline already did (then this returns at once); either way it waits for that stop.
        await StopAllAsync(_deadline?.Token ?? cancellationToken).ConfigureAwait(false);
        if (_stopping is not null)
        {
            await _deadline!.CancelAsync().ConfigureAwait(false); // ends the deadline's wait if it never fired
            await _stopping.ConfigureAwait(false);
        }
    }

    private async Task StopAtDeadlineAsync(CancellationToken deadline)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await StopAllAsync(deadline).ConfigureAwait(false);
        }
    }

    private Task StopAllAsync(CancellationToken cancellationToken)
        => _executors.Length == 1 ? _executors[0].StopAsync(cancellationToken) : Task.WhenAll(_executors.Select(e => e.StopAsync(cancellationToken)));

    public void Dispose() => _deadline?.Dispose();
}
