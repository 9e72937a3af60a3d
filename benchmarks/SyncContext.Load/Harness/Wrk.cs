using System.Diagnostics;
using System.Globalization;

namespace SyncContext.Load.Harness;

/// <summary>Runs wrk against the server and reads its result line (printed by <c>wrk/report.lua</c>).</summary>
internal sealed class Wrk(string executable, string script, int threads)
{
    public const string InstallHint = "sudo apt-get update && sudo apt-get install -y wrk";

    /// <summary>Finds wrk on PATH; installs it with apt-get when running as root and allowed to.</summary>
    public static async Task<Wrk?> FindAsync(HarnessOptions options, TextWriter log)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "wrk", "report.lua");
        if (Which("wrk") is { } found)
        {
            return new Wrk(found, script, options.WrkThreads);
        }

        if (options.Smoke || options.NoInstall || !Environment.IsPrivilegedProcess)
        {
            log.WriteLine($"wrk is not installed: the built-in HttpClient load generator is used instead (its numbers are not comparable). To install wrk: {InstallHint}");
            return null;
        }

        log.WriteLine("wrk is not installed; installing it: apt-get update && apt-get install -y wrk");
        await RunQuietAsync("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
        await RunQuietAsync("apt-get", ["install", "-y", "-qq", "wrk"], TimeSpan.FromMinutes(5));
        if (Which("wrk") is { } installed)
        {
            return new Wrk(installed, script, options.WrkThreads);
        }

        log.WriteLine($"Installing wrk failed: the built-in HttpClient load generator is used instead. To install wrk: {InstallHint}");
        return null;
    }

    /// <summary>Runs wrk for <paramref name="duration"/>; cancelling kills it and returns <see langword="null"/>.</summary>
    public async Task<LoadResult?> RunAsync(string url, int connections, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     $"-t{Math.Min(threads, connections)}", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s",
                     "-s", script, url,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        // Bounded: wrk stops itself after the duration; this is the backstop.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(seconds + 20));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            throw new TimeoutException($"wrk against {url} did not finish.");
        }

        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(static l => l.StartsWith("WRK_RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}): {output} {await stderr}");
        var fields = line["WRK_RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(static f => f.Split('='))
            .ToDictionary(static kv => kv[0], static kv => long.Parse(kv[1], CultureInfo.InvariantCulture));

        return new LoadResult(
            "wrk",
            fields["requests"],
            fields["duration_us"] / 1e6,
            fields["p50_us"] / 1e3,
            fields["p99_us"] / 1e3,
            fields["max_us"] / 1e3,
            fields["status"],
            fields["timeout"],
            fields["connect"] + fields["read"] + fields["write"]);
    }

    internal static string? Which(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task RunQuietAsync(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
        }
    }
}
