using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.HealthChecks;

/// <summary>
/// Reports an executor <c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c> by how full its queue is, against
/// <see cref="SyncContextHealthCheckOptions"/>.
/// </summary>
/// <remarks>
/// An executor with a <c>QueueLimit</c> of 0 has no queue to fill (it refuses work as soon as every worker is busy) and
/// is always reported healthy; its rejections show on <c>synccontext.work.rejected</c>.
/// </remarks>
internal sealed class SyncContextHealthCheck(SyncExecutor executor, SyncContextHealthCheckOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queued = executor.QueueLength;
        var limit = executor.QueueLimit;
        var fill = limit == 0 ? 0 : (double)queued / limit;
        var data = new Dictionary<string, object>
        {
            ["executor"] = executor.Name,
            ["queue_length"] = queued,
            ["queue_limit"] = limit,
            ["threads"] = executor.ThreadCount,
            ["running"] = executor.RunningCount,
        };
        var description = string.Create(CultureInfo.InvariantCulture, $"Executor '{executor.Name}': {queued} of {limit} queue places taken ({fill:P0}), {executor.RunningCount} items running on {executor.ThreadCount} threads.");

        var status = fill >= options.UnhealthyQueueFill ? context.Registration.FailureStatus
            : fill >= options.DegradedQueueFill ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        return Task.FromResult(new HealthCheckResult(status, description, data: data));
    }
}
