using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
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
    /// Adds the SyncContext executor with its default options, and its services, as
    /// <see cref="AddSyncContext(IServiceCollection, Action{SyncContextOptions}?)"/> does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddSyncContext(this IServiceCollection services) => services.AddSyncContext(configure: null);

    /// <summary>
    /// Adds the SyncContext executor and its services: <see cref="IRunSync"/>, <see cref="IRunInExecutor"/> (the same executor without the caller's context), <see cref="IBackgroundWork"/>, <see cref="IRequestContext"/>
    /// (scoped: the current request), <see cref="IAppContext"/> and <see cref="SyncExecutor"/>. Calling it
    /// again only applies <paramref name="configure"/> once more. Options are validated when the host starts.
    /// </summary>
    /// <remarks>
    /// Add more executors, each with its own threads, queue and limits, with
    /// <see cref="AddSyncExecutor(IServiceCollection, string, Action{SyncContextOptions}?)"/>; this one is keyed
    /// <c>"default"</c> as well.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the executor, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddSyncContext(this IServiceCollection services, Action<SyncContextOptions>? configure)
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
        services.TryAddSingleton<SyncExecutors>();
        services.TryAddSingleton<SyncExecutor>(static sp => sp.GetRequiredService<SyncExecutors>().Create(SyncExecutor.DefaultName));
        services.TryAddSingleton<IRunSync>(static sp => sp.GetRequiredService<SyncExecutor>());
        services.TryAddSingleton<IRunInExecutor>(static sp => new RunInExecutor(sp.GetRequiredService<SyncExecutor>()));
        services.TryAddKeyedSingleton<SyncExecutor>(SyncExecutor.DefaultName, static (sp, _) => sp.GetRequiredService<SyncExecutor>());
        services.TryAddKeyedSingleton<IRunSync>(SyncExecutor.DefaultName, static (sp, _) => sp.GetRequiredService<IRunSync>());
        services.TryAddKeyedSingleton<IRunInExecutor>(SyncExecutor.DefaultName, static (sp, _) => sp.GetRequiredService<IRunInExecutor>());
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

    /// <summary>
    /// Adds SyncContext as <see cref="AddSyncContext(IServiceCollection, Action{SyncContextOptions}?)"/> does, with the
    /// default executor's options bound from <paramref name="configuration"/> (a section such as <c>SyncContext</c>) and a
    /// named executor for each child of its <c>Executors</c> section (<c>SyncContext:Executors:legacy-db:MaxThreads</c>).
    /// </summary>
    /// <remarks>
    /// When the configuration reloads (<c>appsettings.json</c> edited, with <c>reloadOnChange</c>), each executor applies
    /// the new <see cref="SyncContextOptions.MaxThreads"/>, <see cref="SyncContextOptions.MinThreads"/>,
    /// <see cref="SyncContextOptions.QueueLimit"/>, <see cref="SyncContextOptions.CpuBudget"/> and
    /// <see cref="SyncContextOptions.IdleTimeout"/> at once, and logs a warning naming any other option that changed,
    /// which takes effect only after a restart; so does an executor added to or removed from <c>Executors</c>. A
    /// reloaded value that fails validation is not applied. Binding is generated at compile time, so it is trimming- and
    /// AOT-safe.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section holding the options.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddSyncContext(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddSyncContext();
        services.AddOptions<SyncContextOptions>().Bind(configuration);
        foreach (var executor in configuration.GetSection(ExecutorsSection).GetChildren())
        {
            services.AddSyncExecutor(executor.Key, executor);
        }

        return services;
    }

    /// <summary>
    /// Adds an executor named <paramref name="name"/> beside the default one, with its own threads, queue, limits and
    /// lifetime: a bulkhead, so that a slow dependency's endpoints can take only its threads. Endpoints pick it with
    /// <c>OffloadSync(name)</c> or <see cref="Microsoft.AspNetCore.Builder.ExecuteOnAttribute"/> on the handler; code
    /// gets it as the keyed services <see cref="IRunSync"/>, <see cref="IRunInExecutor"/> and <see cref="SyncExecutor"/>
    /// (<c>[FromKeyedServices("legacy-db")] IRunSync legacyDb</c>). Adds SyncContext too if it is not added yet.
    /// </summary>
    /// <remarks>
    /// Its options start from <see cref="SyncContextOptions"/>' defaults, not from the default executor's; its threads
    /// are named <c>SyncContext {name} #n</c> unless <see cref="SyncContextOptions.ThreadNamePrefix"/> is set. With
    /// <see cref="SyncContextOptions.ThreadAffinity"/> it runs everything on one thread. It starts with the host and is
    /// drained at shutdown like the default one. Calling this again with the same name only applies
    /// <paramref name="configure"/> once more.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The executor's name, as endpoints and keyed services ask for it.</param>
    /// <param name="configure">Configures the executor, or <see langword="null"/> for the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <c>"default"</c> (the one <c>AddSyncContext</c> adds).</exception>
    public static IServiceCollection AddSyncExecutor(this IServiceCollection services, string name, Action<SyncContextOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = AddNamedExecutor(services, name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }

    /// <summary>
    /// Adds an executor named <paramref name="name"/> with the default options, as
    /// <see cref="AddSyncExecutor(IServiceCollection, string, Action{SyncContextOptions}?)"/> does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The executor's name.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <c>"default"</c>.</exception>
    public static IServiceCollection AddSyncExecutor(this IServiceCollection services, string name) => services.AddSyncExecutor(name, configure: null);

    /// <summary>
    /// Adds an executor named <paramref name="name"/> as <see cref="AddSyncExecutor(IServiceCollection, string, Action{SyncContextOptions}?)"/>
    /// does, with its options bound from <paramref name="configuration"/>, and applied again when it reloads (see
    /// <see cref="AddSyncContext(IServiceCollection, IConfiguration)"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The executor's name.</param>
    /// <param name="configuration">The section holding its options.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <c>"default"</c>.</exception>
    public static IServiceCollection AddSyncExecutor(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddNamedExecutor(services, name).Bind(configuration);
        return services;
    }

    /// <summary>The sub-section of <see cref="AddSyncContext(IServiceCollection, IConfiguration)"/>'s that holds the named executors.</summary>
    internal const string ExecutorsSection = "Executors";

    private static OptionsBuilder<SyncContextOptions> AddNamedExecutor(IServiceCollection services, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name == SyncExecutor.DefaultName)
        {
            throw new ArgumentException($"'{SyncExecutor.DefaultName}' is the name of the executor AddSyncContext adds; configure it there.", nameof(name));
        }

        services.AddSyncContext();
        var options = services.AddOptions<SyncContextOptions>(name);
        options.ValidateOnStart();

        var added = services.Any(d => !d.IsKeyedService && d.ServiceType == typeof(SyncExecutorRegistration) && d.ImplementationInstance is SyncExecutorRegistration r && r.Name == name);
        if (!added)
        {
            services.AddSingleton(new SyncExecutorRegistration(name));
            services.AddKeyedSingleton<SyncExecutor>(name, static (sp, key) => sp.GetRequiredService<SyncExecutors>().Create((string)key!));
            services.AddKeyedSingleton<IRunSync>(name, static (sp, key) => sp.GetRequiredKeyedService<SyncExecutor>(key));
            services.AddKeyedSingleton<IRunInExecutor>(name, static (sp, key) => new RunInExecutor(sp.GetRequiredKeyedService<SyncExecutor>(key)));
        }

        return options;
    }
}
