using System.Diagnostics;
using System.Net;

namespace SyncContext.Load.Harness;

/// <summary>
/// The in-process client: the fallback load generator when wrk is missing, the <c>/fast</c> sampler of S2,
/// and the holder of S5's queued requests.
/// </summary>
internal static class HttpLoad
{
    public static HttpClient CreateClient(int maxConnections, TimeSpan? timeout = null) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = maxConnections,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    /// <summary>Closed loop: <paramref name="connections"/> clients, each sending the next request when the last one ends.</summary>
    public static async Task<LoadResult> RunAsync(string url, int connections, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        using var client = CreateClient(connections);
        var stopwatch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, connections).Select(async _ =>
        {
            var latencies = new List<double>();
            long non2xx = 0, timeouts = 0, errors = 0;
            while (stopwatch.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(url, cancellationToken);
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!response.IsSuccessStatusCode)
                    {
                        non2xx++;
                    }
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    timeouts++;
                }
                catch (HttpRequestException)
                {
                    errors++;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return (latencies, non2xx, timeouts, errors);
        }).ToArray();

        var results = await Task.WhenAll(loops);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return LoadResult.FromSamples(
            "built-in client",
            results.SelectMany(static r => r.latencies).ToList(),
            seconds,
            results.Sum(static r => r.non2xx),
            results.Sum(static r => r.timeouts),
            results.Sum(static r => r.errors));
    }

    /// <summary>Sends one request and fails unless it succeeds.</summary>
    public static async Task<string> GetStringAsync(HttpClient client, string url, CancellationToken cancellationToken = default)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? body
            : throw new HttpRequestException($"GET {url} answered {(int)response.StatusCode}: {body}");
    }
}

/// <summary>
/// Samples <c>/fast</c> with a few sequential clients and keeps every sample's start time and latency, so
/// S2 can read p99 per 100 ms window. A request still pending counts with its latency so far.
/// </summary>
internal sealed class FastSampler : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private readonly long[] _pendingSince;
    private readonly List<(long Start, double Ms)> _samples = [];

    public FastSampler(string url, int clients)
    {
        _client = HttpLoad.CreateClient(clients, TimeSpan.FromSeconds(30));
        _pendingSince = new long[clients];
        _loops = Enumerable.Range(0, clients).Select(i => Task.Run(() => LoopAsync(url, i))).ToArray();
    }

    /// <summary>p99 of the samples that started in [from, to), or <see langword="null"/> if none did.</summary>
    public (double P99, int Count)? Window(long from, long to)
    {
        var now = Stopwatch.GetTimestamp();
        var latencies = new List<double>();
        lock (_samples)
        {
            foreach (var (start, ms) in _samples)
            {
                if (start >= from && start < to)
                {
                    latencies.Add(ms);
                }
            }
        }

        for (var i = 0; i < _pendingSince.Length; i++)
        {
            var pending = Volatile.Read(ref _pendingSince[i]);
            if (pending != 0 && pending >= from && pending < to)
            {
                latencies.Add(Stopwatch.GetElapsedTime(pending, now).TotalMilliseconds);
            }
        }

        if (latencies.Count == 0)
        {
            return null;
        }

        latencies.Sort();
        return (LoadResult.Percentile(latencies, 99), latencies.Count);
    }

    /// <summary>The longest latency among samples started at or after <paramref name="from"/>.</summary>
    public double MaxSince(long from)
    {
        lock (_samples)
        {
            return _samples.Where(s => s.Start >= from).Select(static s => s.Ms).DefaultIfEmpty(0).Max();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync(string url, int index)
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            Volatile.Write(ref _pendingSince[index], started);
            try
            {
                using var response = await _client.GetAsync(url, _stop.Token);
                await response.Content.LoadIntoBufferAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                // A timeout or reset is a very slow sample; it is recorded below like any other.
            }

            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Volatile.Write(ref _pendingSince[index], 0);
            lock (_samples)
            {
                _samples.Add((started, ms));
            }
        }
    }
}
