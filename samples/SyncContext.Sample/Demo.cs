using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SyncContext.Sample;

/// <summary>
/// Starts the sample as a child server twice, plain ASP.NET Core and with SyncContext, puts 200 clients on
/// the blocking <c>/slow</c> endpoint and measures the async <c>/fast</c> endpoint meanwhile. The load comes
/// from this process, so it is never slowed by the server's starved thread pool.
/// </summary>
internal static class Demo
{
    private const int SlowClients = 200;
    private const int FastClients = 4;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(6);

    public static async Task<int> RunAsync()
    {
        Console.WriteLine($"SyncContext demo: {SlowClients} clients on a handler that blocks 100 ms; {FastClients} clients on an async endpoint.");
        Console.WriteLine($"{Environment.ProcessorCount} cores. Each mode: {Warmup.TotalSeconds:0} s warm-up, {Measure.TotalSeconds:0} s measured.");
        Console.WriteLine();

        var results = new List<Result>();
        foreach (var (name, inline) in new[] { ("ASP.NET Core default (inline)", true), ("SyncContext", false) })
        {
            results.Add(await RunModeAsync(name, inline));
        }

        Console.WriteLine();
        Console.WriteLine($"| {"mode",-30} | {"/fast req/s",11} | {"/fast p50",9} | {"/fast p99",9} | {"/slow req/s",11} |");
        Console.WriteLine($"|{new string('-', 32)}|{new string('-', 13)}|{new string('-', 11)}|{new string('-', 11)}|{new string('-', 13)}|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Mode,-30} | {r.FastPerSecond,11:0.0} | {Ms(r.FastP50),9} | {Ms(r.FastP99),9} | {r.SlowPerSecond,11:0.0} |");
        }

        var plain = results[0];
        var synced = results[1];
        Console.WriteLine();
        Console.WriteLine(synced.Where);
        if (!synced.Where.Contains("SyncContext #", StringComparison.Ordinal))
        {
            Console.WriteLine("The sync handler did not run on a SyncContext thread: the generator did not offload it.");
            return 1;
        }

        Console.WriteLine(synced.FastPerSecond > plain.FastPerSecond
            ? $"While 200 clients blocked /slow, the async endpoint answered {synced.FastPerSecond:0} req/s with SyncContext against {plain.FastPerSecond:0.0} req/s without."
            : "SyncContext did not help in this run: the machine may be too busy to tell; run it again.");
        return 0;
    }

    private static async Task<Result> RunModeAsync(string mode, bool inline)
    {
        Console.WriteLine($"{mode}: starting server...");
        var port = FreePort();
        using var server = StartServer(port, inline);
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = SlowClients + FastClients + 8 })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(60),
            };
            await WaitUntilReadyAsync(client);
            var where = inline ? "" : await client.GetStringAsync(new Uri("/where", UriKind.Relative));

            using var stop = new CancellationTokenSource();
            var measuring = new Flag();
            var slow = Enumerable.Range(0, SlowClients).Select(_ => LoopAsync(client, "/slow", measuring, stop.Token)).ToList();
            var fast = Enumerable.Range(0, FastClients).Select(_ => LoopAsync(client, "/fast", measuring, stop.Token)).ToList();

            await Task.Delay(Warmup);
            measuring.Value = true;
            await Task.Delay(Measure);
            measuring.Value = false;
            await stop.CancelAsync();

            var slowLatencies = (await Task.WhenAll(slow)).SelectMany(l => l).ToList();
            var fastLatencies = (await Task.WhenAll(fast)).SelectMany(l => l).Order().ToList();
            var result = new Result(
                mode,
                fastLatencies.Count / Measure.TotalSeconds,
                Percentile(fastLatencies, 0.50),
                Percentile(fastLatencies, 0.99),
                slowLatencies.Count / Measure.TotalSeconds,
                where);
            Console.WriteLine($"{mode}: /fast {result.FastPerSecond:0.0} req/s, p99 {Ms(result.FastP99)}; /slow {result.SlowPerSecond:0.0} req/s");
            return result;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>Sends requests back to back; keeps the latencies of those that completed while measuring.</summary>
    private static async Task<List<TimeSpan>> LoopAsync(HttpClient client, string path, Flag measuring, CancellationToken cancellationToken)
    {
        var latencies = new List<TimeSpan>();
        var uri = new Uri(path, UriKind.Relative);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(uri, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (measuring.Value)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started));
            }
        }

        return latencies;
    }

    private static Process StartServer(int port, bool inline)
    {
        // Run this same program as the server: through the apphost, or through `dotnet app.dll`.
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Demo).Assembly.Location);
        }

        info.ArgumentList.Add("serve");
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        if (inline)
        {
            info.ArgumentList.Add("--inline");
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  server: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/fast", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p)
        => sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Ms(TimeSpan value)
        => value == TimeSpan.Zero ? "n/a" : value.TotalMilliseconds.ToString(value.TotalMilliseconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";

    private sealed record Result(string Mode, double FastPerSecond, TimeSpan FastP50, TimeSpan FastP99, double SlowPerSecond, string Where);

    private sealed class Flag
    {
        public volatile bool Value;
    }
}
