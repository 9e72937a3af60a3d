namespace SyncContext.AspNetCore.Execution;

/// <summary>Options for the SyncContext executor and the HTTP offload.</summary>
public sealed class SyncContextOptions
{
    /// <summary>
    /// Gets or sets the most worker threads the executor runs at once: the most synchronous handlers that
    /// can block at the same time.
    /// </summary>
    /// <remarks>
    /// Peers pick very different numbers: Quart (via asyncio) min(32, cores + 4), Starlette 40, Quarkus
    /// max(200, 8 x cores). Python's numbers are low because of the GIL; Quarkus' is high because it has no
    /// queue limit to push back with. The default here, max(64, 8 x cores), sits below the usual database
    /// connection pool size (100 in SqlClient and Npgsql), so blocking handlers do not queue a second
    /// time on the pool, while a blocked thread costs only its stack reservation.
    /// </remarks>
    /// <value>The default value is the larger of 64 and 8 times <see cref="Environment.ProcessorCount"/>.</value>
    public int MaxThreads { get; set; } = Math.Max(64, 8 * Environment.ProcessorCount);

    /// <summary>Gets or sets how many worker threads are kept alive however idle the executor is.</summary>
    /// <value>
    /// The default value is the smaller of <see cref="Environment.ProcessorCount"/> and <see cref="MaxThreads"/>,
    /// so setting only <see cref="MaxThreads"/> below the core count is valid.
    /// </value>
    public int MinThreads
    {
        get => _minThreads ?? Math.Min(Environment.ProcessorCount, MaxThreads);
        set => _minThreads = value;
    }

    private int? _minThreads;

    /// <summary>
    /// Gets or sets the most work items that may wait for a worker. Past it, work is rejected at once
    /// with <see cref="WorkRejectedException"/>, and HTTP requests get <c>503</c> with <c>Retry-After</c>.
    /// </summary>
    /// <value>The default value is 1024.</value>
    public int QueueLimit { get; set; } = 1024;

    /// <summary>Gets or sets how long a worker above <see cref="MinThreads"/> may stay idle before it exits.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how many times an idle worker polls the queue, pausing about a microsecond each time,
    /// before it parks. Zero parks at once, which saves CPU and costs a kernel wake-up on the next item.
    /// </summary>
    /// <value>The default value is 100.</value>
    public int SpinCount { get; set; } = 100;

    /// <summary>Gets or sets the prefix of the worker threads' names, as shown in debuggers and dumps.</summary>
    /// <value>The default value is <c>"SyncContext"</c>.</value>
    public string ThreadNamePrefix { get; set; } = "SyncContext";

    /// <summary>Gets or sets the <c>Retry-After</c> sent with a <c>503</c> when the queue is full.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets whether an offloaded call may read and write the request and response bodies synchronously
    /// (<c>Request.Body.Read</c>, <c>XmlSerializer</c> on the body). It runs on an executor thread, where blocking
    /// cannot starve the thread pool, so it is allowed there by default: the one intended difference from the
    /// same app without SyncContext. Set it to <see langword="false"/> to keep the server's own setting
    /// (Kestrel refuses synchronous body I/O).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowSynchronousIO { get; set; } = true;
}
