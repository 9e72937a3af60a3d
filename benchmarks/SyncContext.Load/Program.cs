using System.Globalization;
using System.Runtime.InteropServices;
using SyncContext.Load.Harness;
using SyncContext.Load.Server;

// `serve` is this program started by itself as the server under test; anything else is the harness.
if (args.FirstOrDefault() == "serve")
{
    string Arg(string name) => args[Array.IndexOf(args, name) + 1];
    return await LoadServer.RunAsync(
        Enum.Parse<ServerMode>(Arg("--mode"), ignoreCase: true),
        int.Parse(Arg("--port"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--max-threads"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--queue-limit"), CultureInfo.InvariantCulture),
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
string? quartSkipped = null;
if (modes.Contains(ServerMode.Quart) && await ServerProcess.QuartUnavailableAsync() is { } reason)
{
    quartSkipped = $"Quart skipped: {reason}";
    log.WriteLine(quartSkipped);
    modes.Remove(ServerMode.Quart);
}

var dotnetModes = modes.Where(static m => m != ServerMode.Quart).ToList();
var scenarios = new Scenarios(options, wrk, log);
var runs = options.Smoke
    ? new List<(string, Func<Task>)>
    {
        // One ~1 s step per mode and one shed check: the servers start, serve, offload and shed.
        ("s1", async () => { foreach (var mode in modes) { await scenarios.RunS1Async(mode); } }),
        ("s5", scenarios.RunS5Async),
    }
    : new List<(string, Func<Task>)>
    {
        ("s1", async () => { foreach (var mode in modes) { await scenarios.RunS1Async(mode); } }),
        ("s2", async () => { foreach (var mode in dotnetModes) { await scenarios.RunS2Async(mode); } }),
        ("s3", async () => { foreach (var mode in modes.Where(static m => m is ServerMode.Inline or ServerMode.SyncContext or ServerMode.Quart)) { await scenarios.RunS3Async(mode); } }),
        ("s4", async () => { foreach (var mode in modes) { await scenarios.RunS4Async(mode, QuartExecutorThreads()); } }),
        ("s5", () => modes.Contains(ServerMode.SyncContext) ? scenarios.RunS5Async() : Task.CompletedTask),
    };

foreach (var (name, run) in runs.Where(r => options.Scenarios.Contains(r.Item1)))
{
    log.WriteLine($"{name.ToUpperInvariant()}:");
    await run();
}

var header = $"""
    ## Load run {started:yyyy-MM-dd HH:mm} UTC

    - machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}
    - load (/proc/loadavg) at start: {loadAtStart}; at end: {File.ReadAllText("/proc/loadavg").Trim()}; run took {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s
    - command: `{(Niceness() is 0 ? "" : $"nice -n {Niceness()} ")}dotnet run -c Release --project benchmarks/SyncContext.Load{(args.Length > 0 ? " -- " + string.Join(' ', args) : "")}`
    - load generator: {(wrk is null ? "built-in HttpClient (wrk not installed; numbers not comparable)" : $"wrk -t{options.WrkThreads} with wrk/report.lua")}; steps of {options.DurationSeconds} s, each on a fresh server process
    - SyncContext: MaxThreads {options.MaxThreads}, QueueLimit 1024 (S5: {options.OverloadQueueLimit}), other options default{(quartSkipped is null ? "" : $"\n- {quartSkipped}")}
    """;

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

// Quart runs sync routes on asyncio's default executor: min(32, cores + 4) threads.
static int QuartExecutorThreads() => Math.Min(32, Environment.ProcessorCount + 4);
