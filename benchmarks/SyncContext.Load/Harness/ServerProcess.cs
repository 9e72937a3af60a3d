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
    public const string Python = "/usr/bin/python3";

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

    /// <summary>Whether Debian's Quart and uvicorn load in <see cref="Python"/>; the reason when they do not.</summary>
    public static async Task<string?> QuartUnavailableAsync()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} not found";
        }

        var start = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", "import quart, uvicorn" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? null : $"{error.Trim().Split('\n').LastOrDefault()} (install: apt-get install -y python3-quart python3-uvicorn)";
    }

    public static async Task<ServerProcess> StartAsync(ServerMode mode, int maxThreads, int queueLimit)
    {
        var port = FreePort();
        var start = mode == ServerMode.Quart ? QuartStartInfo(port) : DotNetStartInfo(mode, port, maxThreads, queueLimit);
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
        using var client = HttpLoad.CreateClient(8);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => HttpLoad.GetStringAsync(client, $"{BaseUrl}/slow")));
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

    private static ProcessStartInfo DotNetStartInfo(ServerMode mode, int port, int maxThreads, int queueLimit)
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
                     "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static ProcessStartInfo QuartStartInfo(int port)
    {
        var start = new ProcessStartInfo(Python);
        foreach (var arg in new[]
                 {
                     "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--workers", "1", "--log-level", "warning", "--no-access-log",
                     "--app-dir", Path.Combine(AppContext.BaseDirectory, "quart"),
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
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
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
                throw new TimeoutException($"The {Mode} server did not answer within 30 s: {Errors()}");
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
