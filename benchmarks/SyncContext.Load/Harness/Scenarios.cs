using System.Diagnostics;
using System.Globalization;
using SyncContext.Load.Server;

namespace SyncContext.Load.Harness;

internal sealed record BRow(string Flood, LoadResult Report, LoadResult? Flooded, double Load);

internal sealed record ARow(string Route, LoadResult Flood, LoadResult Fast, LoadResult? FastAlone, double Load);

internal sealed record S1Row(ServerMode Mode, int BlockingClients, LoadResult Fast, LoadResult? Slow, double Load);

internal sealed record S2Row(ServerMode Mode, double? FirstGoodSeconds, double? SustainedSeconds, double WorstMs, double CapSeconds, double Load);

internal sealed record S3Row(ServerMode Mode, string Route, LoadResult Sync, double Load, int Round = 1);

internal sealed record S4Row(ServerMode Mode, LoadResult Slow, double Bound, string BoundReason, double Load);

/// <summary>The sync work of issue 13's scenarios, and the route that does it.</summary>
internal enum Workload
{
    /// <summary><c>/slow</c>: <c>Thread.Sleep(100)</c>, I/O-like.</summary>
    Sleep,

    /// <summary><c>/cpu</c>: a fixed amount of SHA-256, calibrated to 20 ms of one core.</summary>
    Cpu,

    /// <summary><c>/pool</c>: waits for one of 32 pooled connections, then sleeps 100 ms.</summary>
    Pool,
}

/// <param name="ExecutorThreads">The most threads seen running sync work: SyncContext's workers or the .NET thread
/// pool's threads (from <c>/stats</c>); for a peer, its process's threads (from /proc), which include its event loop.</param>
/// <param name="AloneMs">The fastest of a few single requests to the sync route on the idle server.</param>
internal sealed record WRow(
    ServerMode Mode,
    Workload Workload,
    LoadResult Sync,
    LoadResult Fast,
    LoadResult? FastAlone,
    double AloneMs,
    int ExecutorThreads,
    int ProcessThreads,
    double MostPossible,
    string MostPossibleReason,
    double Load,
    int Round = 1);

internal sealed record S5Row(int MaxThreads, int QueueLimit, int Connections, LoadResult Shed, LoadResult Fast, double HeapBytesPerQueued, double WorkingSetBytesPerQueued, long Queued, double Load);

/// <summary>Runs the scenarios, one fresh server process per step, and keeps what they measured.</summary>
/// <param name="cpuIterations">/cpu's iterations, the same in every server and peer.</param>
/// <param name="cpuMilliseconds">What those iterations took on one core of this machine when calibrated.</param>
internal sealed class Scenarios(HarnessOptions options, Wrk? wrk, int cpuIterations, double cpuMilliseconds, TextWriter log)
{
    private readonly string _expectedDigest = SyncWork.Hash(cpuIterations);

    private const int BurstClients = 256;
    private static readonly TimeSpan s_window = TimeSpan.FromMilliseconds(100);

    public List<S1Row> S1 { get; } = [];

    public List<BRow> B { get; } = [];

    public List<ARow> A { get; } = [];

    public List<S2Row> S2 { get; } = [];

    public List<S3Row> S3 { get; } = [];

    public List<S4Row> S4 { get; } = [];

    public List<S5Row> S5 { get; } = [];

    public List<WRow> W { get; } = [];

    public int CpuIterations => cpuIterations;

    public double CpuMilliseconds => cpuMilliseconds;

    public List<string> Problems { get; } = [];

    private TimeSpan Duration => TimeSpan.FromSeconds(options.DurationSeconds);

    /// <summary>The 1-minute load average, as <c>uptime</c> shows it.</summary>
    public static double LoadAverage()
        => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>S1: <c>/fast</c> alone, then beside N clients of the blocking <c>/slow</c>.</summary>
    public async Task RunS1Async(ServerMode mode)
    {
        var steps = options.Smoke ? options.BlockingClients : [0, .. options.BlockingClients];
        foreach (var blocking in steps)
        {
            var load = LoadAverage();
            log.WriteLine($"  S1 {mode}: /fast beside {blocking} blocking clients (load {load:0.00})");
            await using var server = await StartAsync(mode);
            await WarmAsync(server, "/fast", options.FastConnections);
            Task<LoadResult?>? slowTask = null;
            if (blocking > 0)
            {
                slowTask = LoadAsync($"{server.BaseUrl}/slow", blocking, options.Ramp + Duration + TimeSpan.FromSeconds(1));
                await Task.Delay(options.Ramp);
            }

            var fast = await LoadAsync($"{server.BaseUrl}/fast", options.FastConnections, Duration) ?? throw new InvalidOperationException("No result.");
            var slow = slowTask is null ? null : await slowTask;
            S1.Add(new S1Row(mode, blocking, fast, slow, load));

            // Starving is what the default modes are here to show; the isolating ones must serve both routes.
            if (mode == ServerMode.SyncContext || Peers.IsPeer(mode))
            {
                Check(fast.Requests - fast.Non2xx > 0, $"S1 {mode} N={blocking}: /fast answered nothing.");
                Check(slow is null || slow.Requests - slow.Non2xx > 0, $"S1 {mode} N={blocking}: /slow answered nothing.");
            }
        }
    }

    /// <summary>
    /// B (issue 9, bulkheads): the default executor's sync <c>/report</c> (sleeps 10 ms) alone, then beside a flood of
    /// blocking clients on the same executor (<c>/slow</c>), then beside the same flood on its own executor of
    /// <see cref="LoadServer.LegacyThreads"/> threads (<c>/legacy</c>, <c>OffloadSync("legacy-db")</c>).
    /// </summary>
    public async Task RunBulkheadAsync()
    {
        foreach (var flood in new[] { "", "/slow", "/legacy" })
        {
            var load = LoadAverage();
            log.WriteLine($"  B: /report beside {(flood.Length == 0 ? "nothing" : $"{BurstClients} clients of {flood}")} (load {load:0.00})");
            await using var server = await StartAsync(ServerMode.SyncContext);
            Task<LoadResult?>? floodTask = null;
            if (flood.Length > 0)
            {
                floodTask = LoadAsync($"{server.BaseUrl}{flood}", BurstClients, options.Ramp + Duration + TimeSpan.FromSeconds(1));
                await Task.Delay(options.Ramp);
            }

            var report = await LoadAsync($"{server.BaseUrl}/report", options.FastConnections * 4, Duration) ?? throw new InvalidOperationException("No result.");
            var flooded = floodTask is null ? null : await floodTask;
            B.Add(new BRow(flood, report, flooded, load));
            Check(report.Requests - report.Non2xx > 0, $"B beside {flood}: /report answered nothing.");
        }
    }

    /// <summary>
    /// A (issue 9, wait-bounded admission): 256 clients of a handler blocking 100 ms on an executor of
    /// <see cref="LoadServer.LegacyThreads"/> threads, without a bound on the queue wait (<c>/legacy</c>) and with
    /// <c>MaxQueueTime</c> <see cref="LoadServer.BoundedQueueMilliseconds"/> ms (<c>/bounded</c>), with the async
    /// <c>/fast</c> measured beside the flood: shedding must not cost the async side its answers (a refusal that grew
    /// more expensive with each one once took <c>/fast</c> from thousands of requests a second to 18).
    /// </summary>
    public async Task RunAdmissionAsync()
    {
        var fastAlone = await FastAloneAsync(ServerMode.SyncContext, "A", queueLimit: null, maxThreads: null);
        foreach (var route in new[] { "/legacy", "/bounded" })
        {
            var load = LoadAverage();
            log.WriteLine($"  A: {BurstClients} clients of {route} beside /fast (load {load:0.00})");
            await using var server = await StartAsync(ServerMode.SyncContext);
            await WarmAsync(server, "/fast", options.FastConnections);
            var floodTask = LoadAsync($"{server.BaseUrl}{route}", BurstClients, options.Ramp + Duration + TimeSpan.FromSeconds(1));
            await Task.Delay(options.Ramp);
            var fast = await LoadAsync($"{server.BaseUrl}/fast", options.FastConnections, Duration) ?? throw new InvalidOperationException("No result.");
            var flood = await floodTask ?? throw new InvalidOperationException("No result.");
            A.Add(new ARow(route, flood, fast, fastAlone, load));
            Check(flood.Requests - flood.Non2xx > 0, $"A {route}: nothing answered 200.");
            Check(fast.Requests - fast.Non2xx > 0, $"A {route}: /fast answered nothing beside the flood.");
        }
    }

    /// <summary>
    /// S2: a jump from 0 to 256 blocking clients; how long until <c>/fast</c>'s p99, sampled by two sequential
    /// clients in 100 ms windows, is back under 10 ms and stays there for a second.
    /// </summary>
    public async Task RunS2Async(ServerMode mode)
    {
        var load = LoadAverage();
        log.WriteLine($"  S2 {mode}: burst 0 -> {BurstClients} blocking clients (load {load:0.00})");
        await using var server = await StartAsync(mode);
        await using var sampler = new FastSampler($"{server.BaseUrl}/fast", clients: 2);
        await Task.Delay(500);

        using var stopBurst = new CancellationTokenSource();
        var t0 = Stopwatch.GetTimestamp();
        var burst = LoadAsync($"{server.BaseUrl}/slow", BurstClients, options.BurstCap + TimeSpan.FromSeconds(2), stopBurst.Token);

        var windowTicks = (long)(s_window.TotalSeconds * Stopwatch.Frequency);
        var windows = (int)(options.BurstCap / s_window);
        int? firstGood = null, sustainedFrom = null, runStart = null;
        for (var k = 0; k < windows; k++)
        {
            // Judged 20 ms after the window closes: a request it started that is still pending is already too slow.
            var judgeAt = t0 + ((k + 1) * windowTicks) + (windowTicks / 5);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), judgeAt);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var good = sampler.Window(t0 + (k * windowTicks), t0 + ((k + 1) * windowTicks)) is { P99: < 10 };
            if (!good)
            {
                runStart = null;
                continue;
            }

            firstGood ??= k;
            runStart ??= k;
            if (k - runStart.Value + 1 >= 10)
            {
                sustainedFrom = runStart;
                break;
            }
        }

        await stopBurst.CancelAsync();
        await burst;
        S2.Add(new S2Row(
            mode,
            (firstGood + 1) * s_window.TotalSeconds,
            (sustainedFrom + 1) * s_window.TotalSeconds,
            sampler.MaxSince(t0),
            options.BurstCap.TotalSeconds,
            load));
    }

    /// <summary>
    /// S3: a trivial sync handler at full load, where it runs decided by the mode (<c>/sync</c>), and the same
    /// handler never offloaded (<c>/inline</c>; a peer's is async, on its event loop), each on a fresh server.
    /// </summary>
    public async Task RunS3Async(ServerMode mode, string route, int round = 1)
    {
        var load = LoadAverage();
        log.WriteLine($"  S3 {mode}: trivial sync handler {route}{(options.S3Rounds > 1 ? $", round {round} of {options.S3Rounds}" : "")} (load {load:0.00})");
        await using var server = await StartAsync(mode);
        await WarmAsync(server, route, options.SyncConnections);
        var sync = await LoadAsync($"{server.BaseUrl}{route}", options.SyncConnections, Duration) ?? throw new InvalidOperationException("No result.");
        S3.Add(new S3Row(mode, route, sync, load, round));
        Check(sync.Requests - sync.Non2xx > 0, $"S3 {mode}: {route} answered nothing.");
    }

    /// <summary>S4: the blocking handler at saturation, against what the mode allows in theory.</summary>
    public async Task RunS4Async(ServerMode mode)
    {
        var load = LoadAverage();
        log.WriteLine($"  S4 {mode}: /slow with {BurstClients} clients (load {load:0.00})");
        await using var server = await StartAsync(mode);
        var slow = await LoadAsync($"{server.BaseUrl}/slow", BurstClients, Duration) ?? throw new InvalidOperationException("No result.");
        var perThread = 1000.0 / LoadServer.SlowMilliseconds;
        var (bound, reason) = mode switch
        {
            ServerMode.SyncContext => (options.MaxThreads * perThread, $"MaxThreads {options.MaxThreads} / 0.1 s"),
            _ when Peers.IsPeer(mode) && Peers.SyncThreads(mode) is var (threads, pool) && threads < BurstClients
                => (threads * perThread, $"{pool} {threads} threads / 0.1 s"),
            _ => (BurstClients * perThread, $"{BurstClients} clients / 0.1 s"),
        };
        S4.Add(new S4Row(mode, slow, bound, reason, load));
    }

    /// <summary>
    /// W (issue 13): each sync workload flooded by <see cref="HarnessOptions.WorkloadClients"/> clients while
    /// <see cref="HarnessOptions.FastConnections"/> clients use <c>/fast</c>, on a fresh server with SyncContext's
    /// default options. <c>/fast</c> alone is S1's step of this run, or measured here when S1 did not run; with
    /// <see cref="HarnessOptions.WRounds"/> above one, measured here in every round, so that each ratio is of its round.
    /// </summary>
    public async Task RunWorkloadsAsync(ServerMode mode, int round = 1)
    {
        var fastAlone = options.WRounds > 1
            ? await MeasureFastAloneAsync(mode, $"W {mode}, round {round} of {options.WRounds}", queueLimit: -1, maxThreads: 0)
            : await FastAloneAsync(mode, $"W {mode}", queueLimit: -1, maxThreads: 0);

        foreach (var workload in Enum.GetValues<Workload>())
        {
            var load = LoadAverage();
            var route = Route(workload);
            log.WriteLine($"  W {mode}: {route} with {options.WorkloadClients} clients beside /fast{(options.WRounds > 1 ? $", round {round} of {options.WRounds}" : "")} (load {load:0.00})");
            await using var server = await StartAsync(mode, queueLimit: -1, maxThreads: 0);
            await WarmAsync(server, "/fast", options.FastConnections);
            var aloneMs = await SingleRequestMsAsync(server, route, workload);

            using var stopSampling = new CancellationTokenSource();
            var threads = SampleThreadsAsync(server, stopSampling.Token);
            var syncTask = LoadAsync($"{server.BaseUrl}{route}", options.WorkloadClients, options.Ramp + Duration + TimeSpan.FromSeconds(1));
            await Task.Delay(options.Ramp);
            var fast = await LoadAsync($"{server.BaseUrl}/fast", options.FastConnections, Duration) ?? throw new InvalidOperationException("No result.");
            var sync = await syncTask ?? throw new InvalidOperationException("No result.");
            await stopSampling.CancelAsync();
            var (executorThreads, processThreads) = await threads;
            if (!Peers.IsPeer(mode))
            {
                // Right after the flood, before idle workers retire: the sampler may have been starved of answers.
                executorThreads = Math.Max(executorThreads, await ExecutorThreadsAsync(server, TimeSpan.FromSeconds(5)));
            }

            var (most, reason) = workload switch
            {
                Workload.Cpu => (Environment.ProcessorCount * 1000 / cpuMilliseconds, $"{Environment.ProcessorCount} cores / {cpuMilliseconds:0.0} ms"),
                Workload.Pool when options.WorkloadClients < SyncWork.PoolSize => (options.WorkloadClients * 1000.0 / SyncWork.SlowMilliseconds, $"{options.WorkloadClients} clients / 0.1 s"),
                Workload.Pool => (SyncWork.PoolSize * 1000.0 / SyncWork.SlowMilliseconds, $"{SyncWork.PoolSize} connections / 0.1 s"),
                _ => (options.WorkloadClients * 1000.0 / SyncWork.SlowMilliseconds, $"{options.WorkloadClients} clients / 0.1 s"),
            };
            W.Add(new WRow(mode, workload, sync, fast, fastAlone, aloneMs, executorThreads, processThreads, most, reason, load, round));
            if (mode == ServerMode.SyncContext || Peers.IsPeer(mode))
            {
                Check(sync.Requests - sync.Non2xx > 0, $"W {mode} {route}: answered nothing.");
            }
        }
    }

    /// <summary><c>/fast</c> alone for <paramref name="mode"/>: S1's step of this run, or a step of its own on a fresh server.</summary>
    private async Task<LoadResult?> FastAloneAsync(ServerMode mode, string step, int? queueLimit, int? maxThreads)
    {
        if (S1.FirstOrDefault(r => r.Mode == mode && r.BlockingClients == 0)?.Fast is { } fromS1)
        {
            return fromS1;
        }

        return await MeasureFastAloneAsync(mode, step, queueLimit, maxThreads);
    }

    /// <summary><c>/fast</c> alone for <paramref name="mode"/>, measured now on a fresh server.</summary>
    private async Task<LoadResult?> MeasureFastAloneAsync(ServerMode mode, string step, int? queueLimit, int? maxThreads)
    {
        log.WriteLine($"  {step}: /fast alone (load {LoadAverage():0.00})");
        await using var idle = await StartAsync(mode, queueLimit, maxThreads);
        await WarmAsync(idle, "/fast", options.FastConnections);
        return await LoadAsync($"{idle.BaseUrl}/fast", options.FastConnections, Duration);
    }

    public static string Route(Workload workload) => workload switch
    {
        Workload.Sleep => "/slow",
        Workload.Cpu => "/cpu",
        _ => "/pool",
    };

    /// <summary>The fastest of three sequential requests on the idle server; checks /cpu's digest on the way.</summary>
    private async Task<double> SingleRequestMsAsync(ServerProcess server, string route, Workload workload)
    {
        using var client = HttpLoad.CreateClient(1, TimeSpan.FromSeconds(30));
        var fastest = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var body = await HttpLoad.GetStringAsync(client, $"{server.BaseUrl}{route}");
            fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (workload == Workload.Cpu && i == 0)
            {
                Check(body == _expectedDigest, $"W {server.Mode} /cpu: digest {body} is not SHA-256 over {cpuIterations} chunks ({_expectedDigest}): not the same work.");
            }
        }

        return fastest;
    }

    /// <summary>The most executor and process threads seen, sampled every 250 ms until <paramref name="stop"/>.</summary>
    private static async Task<(int Executor, int Process)> SampleThreadsAsync(ServerProcess server, CancellationToken stop)
    {
        int executor = 0, process = 0;
        while (!stop.IsCancellationRequested)
        {
            var now = server.ProcessThreads();
            process = Math.Max(process, now);
            executor = Math.Max(executor, Peers.IsPeer(server.Mode) ? now : await ExecutorThreadsAsync(server, TimeSpan.FromSeconds(1)));
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (executor, Math.Max(process, server.ProcessThreads()));
    }

    /// <summary>A .NET server's threads that run sync work: SyncContext's workers, else the thread pool's; 0 when it does not answer in time.</summary>
    private static async Task<int> ExecutorThreadsAsync(ServerProcess server, TimeSpan timeout)
    {
        using var client = HttpLoad.CreateClient(1, timeout);
        try
        {
            var stats = await server.StatsAsync(client, collect: false);
            return (int)(server.Mode == ServerMode.SyncContext ? stats["workers"] : stats["pool"]);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>
    /// S5: every worker busy and the queue full. The memory a queued request holds (server GC heap and working
    /// set, after a full collection, with K more requests queued, divided by K), then the latency of the 503s.
    /// </summary>
    public async Task RunS5Async()
    {
        var load = LoadAverage();
        var queueLimit = options.OverloadQueueLimit;
        log.WriteLine($"  S5 SyncContext: {options.MaxThreads} busy, {queueLimit} queued, then 503s (load {load:0.00})");
        await using var server = await StartAsync(ServerMode.SyncContext, queueLimit);
        using var holder = HttpLoad.CreateClient(int.MaxValue, TimeSpan.FromSeconds(60));
        using var probe = HttpLoad.CreateClient(1);
        using var release = new CancellationTokenSource();
        var held = new List<Task>();
        void Hold(int count)
        {
            for (var i = 0; i < count; i++)
            {
                held.Add(holder.GetAsync($"{server.BaseUrl}/hold?ms=30000", release.Token));
            }
        }

        try
        {
            Hold(options.MaxThreads);
            await WaitForAsync(server, probe, static s => s["running"], options.MaxThreads);
            var before = await server.StatsAsync(probe, collect: true);

            Hold(queueLimit);
            var queued = await WaitForAsync(server, probe, static s => s["queued"], queueLimit);
            var after = await server.StatsAsync(probe, collect: true);

            Check(queued == queueLimit, $"S5: {queued} requests queued, expected {queueLimit}.");

            // One sequential client, then S1's small client (with which wrk and the server saturate the cores).
            foreach (var connections in new[] { 1, options.FastConnections })
            {
                var shed = await LoadAsync($"{server.BaseUrl}/slow", connections, Duration) ?? throw new InvalidOperationException("No result.");

                // The reference: a trivial async request's latency on the same server in the same state.
                var fast = await LoadAsync($"{server.BaseUrl}/fast", connections, Duration) ?? throw new InvalidOperationException("No result.");
                S5.Add(new S5Row(
                    options.MaxThreads,
                    queueLimit,
                    connections,
                    shed,
                    fast,
                    (after["heap"] - before["heap"]) / (double)queueLimit,
                    (after["ws"] - before["ws"]) / (double)queueLimit,
                    queued,
                    load));
                Check(shed.Requests > 0 && shed.Non2xx == shed.Requests, $"S5: {shed.Non2xx} of {shed.Requests} requests were shed with the queue full; expected all.");
            }
        }
        finally
        {
            await release.CancelAsync();
            try
            {
                await Task.WhenAll(held);
            }
            catch (Exception)
            {
                // Cancelled on purpose.
            }
        }
    }

    /// <param name="queueLimit">SyncContext's QueueLimit: 1024 unless given; -1 for the default.</param>
    /// <param name="maxThreads">SyncContext's MaxThreads: the harness's (64) unless given; 0 for the default.</param>
    private async Task<ServerProcess> StartAsync(ServerMode mode, int? queueLimit = null, int? maxThreads = null)
    {
        var server = await ServerProcess.StartAsync(mode, maxThreads ?? options.MaxThreads, queueLimit ?? 1024, cpuIterations);
        await server.WarmUpAsync();
        return server;
    }

    /// <summary>Loads <paramref name="route"/> for <see cref="HarnessOptions.WarmupSeconds"/>, unmeasured (see there why).</summary>
    private async Task WarmAsync(ServerProcess server, string route, int connections)
    {
        if (options.WarmupSeconds > 0)
        {
            await LoadAsync($"{server.BaseUrl}{route}", connections, TimeSpan.FromSeconds(options.WarmupSeconds));
        }
    }

    private Task<LoadResult?> LoadAsync(string url, int connections, TimeSpan duration, CancellationToken cancellationToken = default)
        => wrk is null
            ? RunBuiltInAsync(url, connections, duration, cancellationToken)
            : wrk.RunAsync(url, connections, duration, cancellationToken);

    private static async Task<LoadResult?> RunBuiltInAsync(string url, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var result = await HttpLoad.RunAsync(url, connections, duration, cancellationToken);
        return cancellationToken.IsCancellationRequested ? null : result;
    }

    private static async Task<long> WaitForAsync(ServerProcess server, HttpClient probe, Func<IReadOnlyDictionary<string, long>, long> read, long expected)
    {
        var deadline = Stopwatch.StartNew();
        var value = 0L;
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            value = read(await server.StatsAsync(probe, collect: false));
            if (value >= expected)
            {
                break;
            }

            await Task.Delay(100);
        }

        return value;
    }

    private void Check(bool condition, string problem)
    {
        if (!condition)
        {
            Problems.Add(problem);
            log.WriteLine($"  PROBLEM: {problem}");
        }
    }
}
