using Microsoft.Extensions.Hosting;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Hosting;

/// <summary>
/// Starts the executor with the host and stops it after the server has drained its requests
/// (<see cref="IHostedLifecycleService.StoppedAsync"/> runs after every hosted service's StopAsync,
/// Kestrel's included), within what is left of the host's shutdown timeout.
/// </summary>
internal sealed class SyncExecutorLifetime(SyncExecutor executor) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => executor.StopAsync(cancellationToken);
}
