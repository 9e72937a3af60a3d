using Microsoft.Extensions.Diagnostics.HealthChecks;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Hosting;
using SyncContext.AspNetCore.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the SyncContext executor to ASP.NET Core's health checks.</summary>
public static class SyncContextHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports the executor <c>Degraded</c> once its queue is
    /// <see cref="SyncContextHealthCheckOptions.DegradedQueueFill"/> full (half, by default), and <c>Unhealthy</c> (or
    /// <paramref name="failureStatus"/>) once it is <see cref="SyncContextHealthCheckOptions.UnhealthyQueueFill"/> full
    /// (nine tenths), shortly before it refuses work with <c>503</c>. Its data names the executor and gives the queue
    /// length and limit, the threads and the running items.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Moves the thresholds, or <see langword="null"/> for the defaults.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What a nearly full queue reports, or <see langword="null"/> for <c>Unhealthy</c>.</param>
    /// <param name="tags">Tags to filter checks by (<c>MapHealthChecks</c>' <c>Predicate</c>), or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is not between 0 and 1, or the degraded one is above the unhealthy one.</exception>
    public static IHealthChecksBuilder AddSyncContext(
        this IHealthChecksBuilder builder,
        Action<SyncContextHealthCheckOptions>? configure = null,
        string name = "synccontext",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var options = new SyncContextHealthCheckOptions();
        configure?.Invoke(options);
        if (options.UnhealthyQueueFill is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.UnhealthyQueueFill, "SyncContextHealthCheckOptions.UnhealthyQueueFill must be above 0 and at most 1.");
        }

        if (options.DegradedQueueFill <= 0 || options.DegradedQueueFill > options.UnhealthyQueueFill)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.DegradedQueueFill, "SyncContextHealthCheckOptions.DegradedQueueFill must be above 0 and at most UnhealthyQueueFill.");
        }

        return builder.Add(new HealthCheckRegistration(
            name,
            services => new SyncContextHealthCheck(services.GetRequiredService<SyncExecutors>().Get(options.Executor), options),
            failureStatus,
            tags));
    }
}
