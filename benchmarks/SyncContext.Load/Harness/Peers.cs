using System.Diagnostics;
using System.Globalization;
using SyncContext.Load.Server;

namespace SyncContext.Load.Harness;

/// <summary>
/// The peer servers of benchmarks/peers: where their sources are, how <c>setup.sh</c> makes each ready (installing
/// or building only what is missing), how each starts, and how many threads each runs sync work on.
/// </summary>
internal static class Peers
{
    public const string Python = "/usr/bin/python3";

    public static IReadOnlyList<ServerMode> All { get; } = [ServerMode.Tokio, ServerMode.FastApi, ServerMode.Node, ServerMode.Quart];

    /// <summary>benchmarks/peers, found upwards from the harness's output folder.</summary>
    public static string? Directory { get; } = Find();

    public static bool IsPeer(ServerMode mode) => All.Contains(mode);

    /// <summary>The threads each peer runs sync work on, as configured in its source (or its framework's default).</summary>
    public static (int Threads, string Pool) SyncThreads(ServerMode mode) => mode switch
    {
        ServerMode.Tokio => (512, "spawn_blocking"),
        ServerMode.FastApi => (40, "Starlette thread pool"),
        ServerMode.Node => (64, "piscina"),
        ServerMode.Quart => (Math.Min(32, Environment.ProcessorCount + 4), "run_sync executor"),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a peer."),
    };

    /// <summary>
    /// Runs <c>setup.sh PEER</c> (with <c>--check</c> when nothing may be installed). Returns what is ready (its
    /// versions) or why the peer is skipped.
    /// </summary>
    public static async Task<(bool Ready, string Text)> SetUpAsync(ServerMode mode, bool install, TextWriter log)
    {
        if (Directory is null)
        {
            return (false, "benchmarks/peers not found above the harness's folder");
        }

        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in install ? new[] { Path.Combine(Directory, "setup.sh"), SetupName(mode) } : [Path.Combine(Directory, "setup.sh"), SetupName(mode), "--check"])
        {
            start.ArgumentList.Add(arg);
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (false, "setup.sh took more than 15 minutes");
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines.Where(static l => !l.StartsWith("ready: ", StringComparison.Ordinal)))
        {
            log.WriteLine($"  {mode}: {line}");
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (seconds > 5)
        {
            log.WriteLine($"  {mode}: setup took {seconds:0} s");
        }

        return process.ExitCode == 0
            ? (true, lines.LastOrDefault(static l => l.StartsWith("ready: ", StringComparison.Ordinal))?["ready: ".Length..] ?? "ready")
            : (false, (await stderr).Trim().Split('\n').LastOrDefault()?.Trim() ?? $"setup.sh exited with {process.ExitCode}");
    }

    /// <summary>The peer's own process (no shell in between: the harness reads its threads from /proc).</summary>
    public static ProcessStartInfo StartInfo(ServerMode mode, int port, int cpuIterations)
    {
        var directory = Directory ?? throw new InvalidOperationException("benchmarks/peers not found.");
        var (file, args) = mode switch
        {
            ServerMode.Quart => (Python, new[] { "-I", "-B", Path.Combine(directory, "python", "quart_app.py") }),
            ServerMode.FastApi => (Python, ["-I", "-B", Path.Combine(directory, "python", "fastapi_app.py")]),
            ServerMode.Tokio => (Path.Combine(directory, "tokio", "target", "release", "synccontext-peer-tokio"), []),
            ServerMode.Node => ("node", [Path.Combine(directory, "node", "server.js")]),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a peer."),
        };
        var start = new ProcessStartInfo(file);
        foreach (var arg in args.Concat(
                 [
                     "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--cpu-iterations", cpuIterations.ToString(CultureInfo.InvariantCulture),
                     "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                 ]))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static string SetupName(ServerMode mode) => mode.ToString().ToLowerInvariant();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "peers"), Path.Combine(dir.FullName, "benchmarks", "peers") })
            {
                if (File.Exists(Path.Combine(candidate, "setup.sh")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
