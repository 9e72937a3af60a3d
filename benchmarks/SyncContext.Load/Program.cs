using System.Globalization;
using System.Runtime.InteropServices;
using SyncContext.Load.Harness;
using SyncContext.Load.Server;

// `serve` is this program started by itself as the server under test; `sleepers` a floor for benchmarks/io-beside.sh;
// anything else is the harness.
if (args.FirstOrDefault() == "sleepers")
{
    return Sleepers.Run(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
}

if (args.FirstOrDefault() == "serve")
{
    string Arg(string name) => args[Array.IndexOf(args, name) + 1];
    return await LoadServer.RunAsync(
        Enum.Parse<ServerMode>(Arg("--mode"), ignoreCase: true),
        int.Parse(Arg("--port"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--max-threads"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--queue-limit"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--cpu-iterations"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--parent"), CultureInfo.InvariantCulture));
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var log = Console.Error;
var started = DateTimeOffset.UtcNow;
var loadAtStart = File.ReadAllText("/proc/loadavg").Trim();
var wrk = await Wrk.FindAsync(options, log);

var modes = options.Modes.ToList();
var peerLines = new List<string>();
foreach (var peer in modes.Where(Peers.IsPeer).ToList())
{
    var (ready, text) = await Peers.SetUpAsync(peer, install: !options.NoInstall && !options.Smoke, log);
    var line = ready ? $"{Report.Name(peer)}: {text}" : $"{Report.Name(peer)} skipped: {text}";
    log.WriteLine(line);
    peerLines.Add(line);
    if (!ready)
    {
        modes.Remove(peer);
    }
}

// One count for every server: calibrated here once (the fastest of short runs), then passed to each.
var calibrated = SyncWork.Calibrate(options.CpuTargetMilliseconds);
var cpuIterations = options.CpuIterations ?? calibrated.Iterations;
var cpuMilliseconds = cpuIterations * calibrated.Milliseconds / calibrated.Iterations;
log.WriteLine($"/cpu: {cpuIterations} x {SyncWork.ChunkBytes / 1024} KiB of SHA-256 = {cpuMilliseconds:0.0} ms of one core here");

var dotnetModes = modes.Where(static m => !Peers.IsPeer(m)).ToList();
var scenarios = new Scenarios(options, wrk, cpuIterations, cpuMilliseconds, log);
var runs = options.Smoke
    ? new List<(string, Func<Task>)>
    {
        // One ~1 s step per mode, the workloads on SyncContext, and one shed check: the servers start, serve, offload and shed.
        ("s1", async () => { foreach (var mode in modes) { await scenarios.RunS1Async(mode); } }),
        ("w", () => modes.Contains(ServerMode.SyncContext) ? scenarios.RunWorkloadsAsync(ServerMode.SyncContext) : Task.CompletedTask),
        ("s5", scenarios.RunS5Async),
        ("b", scenarios.RunBulkheadAsync),
        ("a", scenarios.RunAdmissionAsync),
    }
    : new List<(string, Func<Task>)>
    {
        ("s1", async () => { foreach (var mode in modes) { await scenarios.RunS1Async(mode); } }),
        ("s2", async () => { foreach (var mode in dotnetModes) { await scenarios.RunS2Async(mode); } }),
        ("s3", async () =>
        {
            // With --s3-rounds, every mode once per round: the rows a median compares were measured in turn, not in a block.
            for (var round = 1; round <= options.S3Rounds; round++)
            {
                foreach (var mode in modes.Where(static m => m is ServerMode.Inline or ServerMode.SyncContext || Peers.IsPeer(m)))
                {
                    await scenarios.RunS3Async(mode, "/sync", round);
                    if (mode != ServerMode.Inline)
                    {
                        await scenarios.RunS3Async(mode, "/inline", round);
                    }
                }
            }
        }),
        ("s4", async () => { foreach (var mode in modes) { await scenarios.RunS4Async(mode); } }),
        ("w", async () =>
        {
            // With --w-rounds, every mode once per round, as S3 does.
            for (var round = 1; round <= options.WRounds; round++)
            {
                foreach (var mode in modes)
                {
                    await scenarios.RunWorkloadsAsync(mode, round);
                }
            }
        }),
        ("s5", () => modes.Contains(ServerMode.SyncContext) ? scenarios.RunS5Async() : Task.CompletedTask),
        ("b", () => modes.Contains(ServerMode.SyncContext) ? scenarios.RunBulkheadAsync() : Task.CompletedTask),
        ("a", () => modes.Contains(ServerMode.SyncContext) ? scenarios.RunAdmissionAsync() : Task.CompletedTask),
    };

foreach (var (name, run) in runs.Where(r => options.Scenarios.Contains(r.Item1)))
{
    log.WriteLine($"{name.ToUpperInvariant()}:");
    await run();
}

var header = $"""
    ## Load run {started:yyyy-MM-dd HH:mm} UTC

    - machine: nproc {Environment.ProcessorCount} ({CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}
    - load (/proc/loadavg) at start: {loadAtStart}; at end: {File.ReadAllText("/proc/loadavg").Trim()}; run took {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s
    - command: `{(Niceness() is 0 ? "" : $"nice -n {Niceness()} ")}dotnet run -c Release --project benchmarks/SyncContext.Load{(args.Length > 0 ? " -- " + string.Join(' ', args) : "")}`
    - load generator: {(wrk is null ? "built-in HttpClient (wrk not installed; numbers not comparable)" : $"wrk -t{options.WrkThreads} with wrk/report.lua")}; steps of {options.DurationSeconds} s, each on a fresh server process, S1, S3 and W after {options.WarmupSeconds} s of unmeasured load on the measured route
    - SyncContext: MaxThreads {options.MaxThreads}, QueueLimit 1024 (S5: {options.OverloadQueueLimit}), other options default; in the sync workloads (W) every option default
    - /cpu: SHA-256 over {cpuIterations} x {SyncWork.ChunkBytes / 1024} KiB, {cpuMilliseconds:0.0} ms of one core here ({(options.CpuIterations is null ? "calibrated at the start of this run" : "count given by --cpu-iterations, time measured here")}); every server returns the digest and the harness checks it
    """ + string.Concat(peerLines.Select(static l => $"\n- peer {l}"));

var report = Report.Write(scenarios, options, header);
Console.Out.Write(report);
if (options.MarkdownPath is { } path)
{
    await File.WriteAllTextAsync(path, report);
}

return scenarios.Problems.Count == 0 ? 0 : 1;

static string CpuModel()
    => File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

// The nice value this harness (and so every server and wrk it starts) runs at: field 19 of /proc/self/stat.
static int Niceness()
{
    var stat = File.ReadAllText("/proc/self/stat");
    return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
}

