using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Load.Server;

/// <summary>How the server runs its blocking handler.</summary>
internal enum ServerMode
{
    /// <summary>ASP.NET Core's default: the sync handler blocks a thread-pool thread.</summary>
    Inline,

    /// <summary>The handler is async and pushes the blocking call to the pool: <c>await Task.Run(...)</c>.</summary>
    TaskRun,

    /// <summary>Inline, with <c>ThreadPool.SetMinThreads(256, ...)</c>: the usual workaround.</summary>
    MinThreads,

    /// <summary>The sync handlers are offloaded with <c>OffloadSync()</c>.</summary>
    SyncContext,

    /// <summary>A peer: Quart on uvicorn, sync routes on asyncio's default executor (benchmarks/peers/python).</summary>
    Quart,

    /// <summary>A peer: FastAPI on uvicorn, sync routes in Starlette's thread pool (benchmarks/peers/python).</summary>
    FastApi,

    /// <summary>A peer: tokio + hyper, sync routes through <c>spawn_blocking</c> (benchmarks/peers/tokio).</summary>
    Tokio,

    /// <summary>A peer: fastify, sync routes on piscina's worker threads (benchmarks/peers/node).</summary>
    Node,
}

/// <summary>
/// The server under test, one process per mode: Kestrel on 127.0.0.1 with the same handlers in every mode,
/// differing only in where the sync handlers run: <c>/slow</c> (blocks 100 ms), <c>/sync</c> (trivial), <c>/cpu</c>
/// and <c>/pool</c> (see <see cref="SyncWork"/>). <c>/inline</c> is the trivial handler never offloaded.
/// </summary>
internal static class LoadServer
{
    public const int MinThreadsRaisedTo = 256;
    public const int SlowMilliseconds = SyncWork.SlowMilliseconds;
    public const string LegacyExecutor = "legacy-db";
    public const int LegacyThreads = 8;
    public const int ReportMilliseconds = 10;
    public const string BoundedExecutor = "bounded";
    public const int BoundedQueueMilliseconds = 250;

    /// <summary>Runs until the harness kills it, or exits on its own when the harness is gone.</summary>
    /// <param name="maxThreads">SyncContext's MaxThreads, or 0 for the default.</param>
    /// <param name="queueLimit">SyncContext's QueueLimit, or -1 for the default.</param>
    public static async Task<int> RunAsync(ServerMode mode, int port, int maxThreads, int queueLimit, int cpuIterations, int parentPid)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders(); // a console logger would be the bottleneck, in every mode alike
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        if (mode == ServerMode.SyncContext)
        {
            builder.Services.AddSyncContext(options =>
            {
                if (maxThreads > 0)
                {
                    options.MaxThreads = maxThreads;
                }

                if (queueLimit >= 0)
                {
                    options.QueueLimit = queueLimit;
                }
            });

            // Scenario B's bulkhead: a slow dependency's endpoint on its own executor of a few threads.
            builder.Services.AddSyncExecutor(LegacyExecutor, options => options.MaxThreads = LegacyThreads);

            // Scenario A: the same few threads, with a bound on the queue wait.
            builder.Services.AddSyncExecutor(BoundedExecutor, options =>
            {
                options.MaxThreads = LegacyThreads;
                options.MaxQueueTime = TimeSpan.FromMilliseconds(BoundedQueueMilliseconds);
            });
        }

        if (mode == ServerMode.MinThreads)
        {
            ThreadPool.GetMinThreads(out _, out var io);
            ThreadPool.SetMinThreads(MinThreadsRaisedTo, Math.Max(io, MinThreadsRaisedTo));
        }

        var app = builder.Build();
        var offload = mode == ServerMode.SyncContext;
        var work = new SyncWork(cpuIterations);

        app.MapGet("/fast", static () => Task.FromResult("fast"));

        // The floor of the I/O-like case: the same 100 ms per request, waited asynchronously, so no thread blocks at all and
        // whatever /fast loses beside it is the server's (and the load generator's) cost of the flood's requests themselves.
        app.MapGet("/async-slow", static async () =>
        {
            await Task.Delay(100);
            return "slow";
        });

        if (mode == ServerMode.TaskRun)
        {
            app.MapGet("/slow", static () => Task.Run(SyncWork.Slow));
            app.MapGet("/cpu", () => Task.Run(work.Cpu));
            app.MapGet("/pool", () => Task.Run(work.Pool));
        }
        else
        {
            Offload(app.MapGet("/slow", SyncWork.Slow), offload);
            Offload(app.MapGet("/cpu", work.Cpu), offload);
            Offload(app.MapGet("/pool", work.Pool), offload);
        }

        Offload(app.MapGet("/sync", static () => "sync"), offload);

        // Scenario B: /report is sync work of the default executor; /legacy blocks like /slow, on its own executor.
        Offload(app.MapGet("/report", static () =>
        {
            Thread.Sleep(ReportMilliseconds);
            return "report";
        }), offload);
        var legacy = app.MapGet("/legacy", SyncWork.Slow);
        var bounded = app.MapGet("/bounded", SyncWork.Slow);
        if (offload)
        {
            legacy.OffloadSync(LegacyExecutor);
            bounded.OffloadSync(BoundedExecutor);
        }

        app.MapGet("/inline", static () => "sync");

        // Holds a worker (or a queue slot) for a while: S5 fills the executor with these.
        Offload(app.MapGet("/hold", static (int ms) =>
        {
            Thread.Sleep(Math.Clamp(ms, 0, 30_000));
            return "held";
        }), offload);

        var executor = app.Services.GetService<SyncExecutor>();
        var configured = app.Services.GetService<IOptions<SyncContextOptions>>()?.Value.MaxThreads ?? 0;
        app.MapGet("/stats", (bool? gc) => Task.FromResult(Stats(executor, configured, gc == true)));

        await app.StartAsync();
        Console.Out.WriteLine("READY");
        await Console.Out.FlushAsync();

        // Bounded life: exit when the harness that started this process is gone.
        using var orphaned = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!orphaned.IsCancellationRequested)
            {
                await Task.Delay(1000);
                if (!IsAlive(parentPid))
                {
                    await orphaned.CancelAsync();
                }
            }
        });

        // Stops on SIGTERM/Ctrl+C like any host, or when orphaned.
        await app.WaitForShutdownAsync(orphaned.Token);
        return 0;
    }

    private static void Offload(RouteHandlerBuilder endpoint, bool offload)
    {
        if (offload)
        {
            endpoint.OffloadSync();
        }
    }

    private static string Stats(SyncExecutor? executor, int maxThreads, bool collect)
    {
        if (collect)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        return string.Create(CultureInfo.InvariantCulture, $"heap={GC.GetTotalMemory(false)} ws={Environment.WorkingSet} queued={executor?.QueueLength ?? 0} running={executor?.RunningCount ?? 0} workers={executor?.ThreadCount ?? 0} pool={ThreadPool.ThreadCount} max={maxThreads} gcs={GC.CollectionCount(0)} gc_pause_us={(long)GC.GetTotalPauseDuration().TotalMicroseconds}");
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
