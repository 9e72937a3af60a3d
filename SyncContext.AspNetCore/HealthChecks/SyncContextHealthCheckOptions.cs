namespace SyncContext.AspNetCore.HealthChecks;

/// <summary>When the SyncContext health check reports an executor as degraded or unhealthy.</summary>
public sealed class SyncContextHealthCheckOptions
{
    /// <summary>
    /// Gets or sets the share of <c>SyncContextOptions.QueueLimit</c> that, once waiting, makes the executor
    /// <c>Degraded</c>: it still answers, but requests wait for a worker.
    /// </summary>
    /// <value>The default value is 0.5: half the queue.</value>
    public double DegradedQueueFill { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets the share of <c>SyncContextOptions.QueueLimit</c> that, once waiting, makes the executor
    /// <c>Unhealthy</c>: it is about to refuse work with <c>503</c>, so a load balancer should send requests elsewhere.
    /// </summary>
    /// <value>The default value is 0.9.</value>
    public double UnhealthyQueueFill { get; set; } = 0.9;

    /// <summary>
    /// Gets or sets the name of the executor the check watches: <c>"default"</c> for the one <c>AddSyncContext</c> adds, or
    /// that of <c>AddSyncExecutor(name)</c>. Add one check per executor to watch several (give each its own check name).
    /// </summary>
    /// <value>The default value is <c>"default"</c>.</value>
    public string Executor { get; set; } = "default";
}
