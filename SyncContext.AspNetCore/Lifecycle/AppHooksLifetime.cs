using Microsoft.Extensions.Hosting;

namespace SyncContext.AspNetCore.Lifecycle;

/// <summary>
/// Runs the app hooks at the host's lifecycle points. <see cref="IHostedLifecycleService.StartingAsync"/> runs
/// before any hosted service's StartAsync, the server's included, so before-serving hooks finish before a
/// request can be accepted; <see cref="IHostedLifecycleService.StoppedAsync"/> runs after every StopAsync, so
/// after-serving hooks run once the server has drained its requests. Registered after the executor's lifetime,
/// whose StoppedAsync the host calls later (stopping goes in reverse order), so the executor still runs them.
/// </summary>
internal sealed class AppHooksLifetime(AppHooks hooks) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => hooks.RunBeforeServingAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => hooks.RunAfterServingAsync(cancellationToken);
}
