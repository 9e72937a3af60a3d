using Microsoft.Extensions.Hosting;

namespace SyncContext.AspNetCore.Background;

/// <summary>
/// Waits for background work when the host stops: in StoppedAsync, after the server has drained its requests
/// (so no request can add more), before the after-serving hooks and the executor stop (registered after them,
/// so the host, stopping in reverse, calls it first), within what is left of the shutdown timeout.
/// </summary>
internal sealed class BackgroundWorkLifetime(BackgroundWorkQueue queue) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => queue.DrainAsync(cancellationToken);
}
