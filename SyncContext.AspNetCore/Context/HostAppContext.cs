using Microsoft.Extensions.Hosting;

namespace SyncContext.AspNetCore.Context;

/// <summary>The <see cref="IAppContext"/> of the running host.</summary>
internal sealed class HostAppContext(IHostEnvironment environment, IHostApplicationLifetime lifetime, IServiceProvider services) : IAppContext
{
    public string ApplicationName => environment.ApplicationName;

    public string EnvironmentName => environment.EnvironmentName;

    public string ContentRootPath => environment.ContentRootPath;

    public IServiceProvider Services => services;

    public CancellationToken Stopping => lifetime.ApplicationStopping;
}
