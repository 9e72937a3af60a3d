using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SyncContext.Load.Server;

namespace SyncContext.Load.Harness;

/// <summary>One server under test in its own process (a fresh thread pool each time), on a free loopback port.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private ServerProcess(ServerMode mode, int port, Process process)
    {
        Mode = mode;
        BaseUrl = $"http://127.0.0.1:{port}";
        _process = process;
    }

    public ServerMode Mode { get; }

    public string BaseUrl { get; }

    /// <summary>The server's process id (its own process: no shell in between).</summary>
    public int Pid => _process.Id;

    /// <summary>The threads the server's process has now (/proc/PID/status), or 0 once it is gone.</summary>
    public int ProcessThreads()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(static l => l.StartsWith("Threads:", StringComparison.Ordinal));
            return line is null ? 0 : int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <param name="maxThreads">SyncContext's MaxThreads, or 0 for the default.</param>
    public static async Task<ServerProcess> StartAsync(ServerMode mode, int maxThreads, int queueLimit, int cpuIterations)
    {
        var port = FreePort();
        var start = Peers.IsPeer(mode) ? Peers.StartInfo(mode, port, cpuIterations) : DotNetStartInfo(mode, port, maxThreads, queueLimit, cpuIterations);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The {mode} server did not start.");
        var server = new ServerProcess(mode, port, process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (server._errors)
                {
                    server._errors.AppendLine(line);
                }
            }
        };
        process.OutputDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Makes the server JIT and warm the paths the scenarios use, as a server in service would be.</summary>
    public async Task WarmUpAsync()
    {
        await HttpLoad.RunAsync($"{BaseUrl}/fast", 4, TimeSpan.FromSeconds(0.5));
        await HttpLoad.RunAsync($"{BaseUrl}/sync", 4, TimeSpan.FromSeconds(0.5));
        await HttpLoad.RunAsync($"{BaseUrl}/inline", 4, TimeSpan.FromSeconds(0.2));
        using var client = HttpLoad.CreateClient(8);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => HttpLoad.GetStringAsync(client, $"{BaseUrl}/slow")));
        await Task.WhenAll(Enumerable.Range(0, 2).SelectMany(_ => new[] { "/cpu", "/pool" }).Select(route => HttpLoad.GetStringAsync(client, BaseUrl + route)));
    }

    /// <summary>The server's own view: GC heap, working set, executor queue and workers, pool threads.</summary>
    public async Task<IReadOnlyDictionary<string, long>> StatsAsync(HttpClient client, bool collect)
    {
        var text = await HttpLoad.GetStringAsync(client, $"{BaseUrl}/stats?gc={(collect ? "true" : "false")}");
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(static f => f.Split('='))
            .ToDictionary(static kv => kv[0], static kv => long.Parse(kv[1], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _process.Dispose();
    }

    private static ProcessStartInfo DotNetStartInfo(ServerMode mode, int port, int maxThreads, int queueLimit, int cpuIterations)
    {
        // Under `dotnet run` this is the app host; launched as `dotnet X.dll` it is dotnet itself.
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        }

        foreach (var arg in new[]
                 {
                     "serve", "--mode", mode.ToString(), "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--max-threads", maxThreads.ToString(CultureInfo.InvariantCulture),
                     "--queue-limit", queueLimit.ToString(CultureInfo.InvariantCulture),
                     "--cpu-iterations", cpuIterations.ToString(CultureInfo.InvariantCulture),
                     "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilReadyAsync()
    {
        // fastify starts its 64 piscina threads before it listens: 2-3 s on a quiet 2-core machine, 13 s at load 26.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = HttpLoad.CreateClient(1, TimeSpan.FromSeconds(2));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {Mode} server exited with {_process.ExitCode}: {Errors()}");
            }

            try
            {
                using var response = await client.GetAsync($"{BaseUrl}/fast", limit.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!limit.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The {Mode} server did not answer within 60 s: {Errors()}");
            }

            await Task.Delay(100, limit.Token);
        }
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString();
        }
    }
}
