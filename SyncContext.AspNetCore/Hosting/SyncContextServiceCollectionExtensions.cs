using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SyncContext;
using SyncContext.AspNetCore.Background;
using SyncContext.AspNetCore.Context;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Hosting;
using SyncContext.AspNetCore.Http;
using SyncContext.AspNetCore.Lifecycle;
using SyncContext.AspNetCore.Routing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SyncContext with the service collection.</summary>
public static class SyncContextServiceCollectionExtensions
{
    /// <summary>
    /// Adds the SyncContext executor and its services: <see cref="IRunSync"/>, <see cref="IRunInExecutor"/> (the same executor without the caller's context), <see cref="IBackgroundWork"/>, <see cref="IRequestContext"/>
    /// (scoped: the current request), <see cref="IAppContext"/> and <see cref="SyncExecutor"/>. Calling it
    /// again only applies <paramref name="configure"/> once more. Options are validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the executor, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddSyncContext(this IServiceCollection services, Action<SyncContextOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<SyncContextOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncContextOptions>, SyncContextOptionsValidator>());

        services.AddHttpContextAccessor();
        services.AddMetrics();
        services.TryAddSingleton<SyncContextMetrics>();
        services.TryAddSingleton<SyncExecutor>();
        services.TryAddSingleton<IRunSync>(static sp => sp.GetRequiredService<SyncExecutor>());
        services.TryAddSingleton<IRunInExecutor>(static sp => new RunInExecutor(sp.GetRequiredService<SyncExecutor>()));
        services.TryAddSingleton<IAppContext, HostAppContext>();
        services.TryAddScoped<IRequestContext>(static sp => new HttpRequestContext(
            sp.GetRequiredService<IHttpContextAccessor>().HttpContext
            ?? throw new InvalidOperationException("IRequestContext is only available while an HTTP request is being handled: resolve it from the request's services (a handler parameter or HttpContext.RequestServices).")));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SyncExecutorLifetime>());

        // One answer for every rejection that escapes user code (503 + Retry-After), wherever it is caught: the
        // outermost middleware, UseExceptionHandler, the developer exception page.
        services.TryAddSingleton<RejectionAnswer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RejectionAnswerStartupFilter>());

        // Where ASP.NET Core's Request Delegate Generator built the endpoints (native AOT), sync route handlers are
        // offloaded when routing picks them; elsewhere the generator intercepts MapGet and this policy applies to nothing.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, AutomaticOffloadPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, RejectionExceptionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeveloperPageExceptionFilter, RejectionDeveloperPageFilter>());

        // After the executor's lifetime: the host stops services in reverse, so these stop while it still runs.
        services.TryAddSingleton<AppHooks>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AppHooksLifetime>());
        services.AddOptions<BackgroundWorkOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackgroundWorkOptions>, BackgroundWorkOptionsValidator>());
        services.TryAddSingleton<BackgroundWorkQueue>();
        services.TryAddSingleton<IBackgroundWork>(static sp => sp.GetRequiredService<BackgroundWorkQueue>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BackgroundWorkLifetime>());

        return services;
    }
}
