using System.Collections;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SyncContext.Tests.Routing;

namespace SyncContext.Tests.Streaming;

/// <summary>
/// A lazy <c>IEnumerable&lt;T&gt;</c> returned by an offloaded handler is enumerated on the executor, one item at a
/// time, and streamed, with the same response as without the package.
/// </summary>
public class LazyEnumerableTests
{
    private const int Many = 10_000;

    private const int ExecutorEnumerableBatch = 64;

    private sealed record Tea(int Id, string Name);

    private static void ConfigureShapes(WebApplication app, OffloadMode mode)
    {
        var map = new OffloadMapper(app, mode);
        map.MapGet("/ints", () => Enumerable.Range(0, 5).Select(static i => i * 2));
        map.MapGet("/records", () => Enumerable.Range(0, 3).Select(static i => new Tea(i, $"tea {i}")));
        map.MapGet("/iterator", Iterate);
        map.MapGet("/object", object () => Enumerable.Range(0, 3).Select(static i => $"#{i}"));
        map.MapGet("/nongeneric", IEnumerable () => Enumerable.Range(0, 3).Select(static i => new Tea(i, "x")));
        map.MapGet("/empty", () => Enumerable.Empty<int>().Select(static i => i));
        map.MapGet("/list", IEnumerable<int> () => [1, 2, 3]);
        map.MapGet("/array", IEnumerable<int> () => new[] { 1, 2, 3 });
        map.MapGet("/many", () => Enumerable.Range(0, Many).Select(static i => new Tea(i, $"tea number {i}")));
        map.MapGet("/throws", () => Enumerable.Range(0, 3).Select(static i => i < 2 ? i : throw new InvalidOperationException("third")));
    }

    private static IEnumerable<string> Iterate()
    {
        yield return "a";
        yield return "b\u00e9\"";
    }

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Generated)]
    public async Task Lazy_sequences_give_the_same_status_headers_and_bytes_as_without_the_package(OffloadMode mode)
    {
        await using var plain = await KestrelApp.StartAsync(withSyncContext: false, app => ConfigureShapes(app, OffloadMode.None));
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => ConfigureShapes(app, mode));

        foreach (var url in new[] { "/ints", "/records", "/iterator", "/object", "/nongeneric", "/empty", "/list", "/array", "/many" })
        {
            var without = await plain.SeeAsync(url);
            var with = await offloaded.SeeAsync(url);
            with.ShouldBe(without, url);
        }
    }

    [Fact]
    public async Task A_sequence_that_throws_early_gives_the_500_it_gives_without_the_package()
    {
        await using var plain = await KestrelApp.StartAsync(withSyncContext: false, app => ConfigureShapes(app, OffloadMode.None));
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => ConfigureShapes(app, OffloadMode.Endpoint));

        var without = await plain.SeeAsync("/throws");
        var with = await offloaded.SeeAsync("/throws");

        with.ShouldBe(without);
        with.ShouldStartWith("500\n");
    }

    [Fact]
    public async Task A_large_sequence_is_sent_in_batches_not_one_chunk_per_item()
    {
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => ConfigureShapes(app, OffloadMode.Endpoint));

        var raw = await RawHttp.GetAsync(offloaded, "/many");

        var chunks = raw.Split("\r\n").Count(static line => line.Length is > 0 and <= 8 && line.All(Uri.IsHexDigit));
        chunks.ShouldBeLessThan(Many / 10);
    }

    [Fact]
    public async Task Every_item_is_produced_on_the_executor()
    {
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app =>
            app.MapGet("/where", () => Enumerable.Range(0, 50).Select(static _ => Thread.CurrentThread.Name ?? "pool")).OffloadSync());

        var threads = await offloaded.Client.GetFromJsonAsync<string[]>("/where");

        threads.ShouldNotBeNull().Length.ShouldBe(50);
        threads.ShouldAllBe(static name => name.StartsWith("SyncContext #", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_item_is_produced_with_the_request_context()
    {
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app =>
            app.MapGet("/context", (IHttpContextAccessor accessor) => Enumerable.Range(0, ExecutorEnumerableBatch * 3)
                .Select(_ => accessor.HttpContext?.Request.Path.Value ?? "none")).OffloadSync());

        var paths = await offloaded.Client.GetFromJsonAsync<string[]>("/context");

        paths.ShouldNotBeNull().Length.ShouldBe(ExecutorEnumerableBatch * 3);
        paths.ShouldAllBe(static path => path == "/context");
    }

    [Fact]
    public async Task The_first_bytes_reach_the_client_before_the_last_item_is_produced()
    {
        var firstChunkRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var produced = 0;
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app =>
            app.MapGet("/gated", () => Enumerable.Range(0, Many).Select(i =>
            {
                // A blocking step near the end: it only goes on once the client has read the start of the body.
                if (i == Many - 100 && !firstChunkRead.Task.Wait(TestHosts.HangGuard))
                {
                    throw new TimeoutException("The client never saw the first bytes while the sequence was being produced.");
                }

                Interlocked.Increment(ref produced);
                return new Tea(i, $"tea number {i}");
            })).OffloadSync());

        using var response = await offloaded.Client.GetAsync("/gated", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1024];
        var first = await body.ReadAsync(buffer).AsTask().WaitAsync(TestHosts.HangGuard);

        first.ShouldBeGreaterThan(0);
        buffer[0].ShouldBe((byte)'[');
        Volatile.Read(ref produced).ShouldBeLessThan(Many);
        firstChunkRead.SetResult();

        using var rest = new StreamReader(body);
        var tail = await rest.ReadToEndAsync().WaitAsync(TestHosts.HangGuard);
        tail.ShouldEndWith($"{{\"id\":{Many - 1},\"name\":\"tea number {Many - 1}\"}}]");
        Volatile.Read(ref produced).ShouldBe(Many);
    }

    [Fact]
    public async Task The_enumeration_stops_and_is_disposed_on_the_executor_when_the_client_goes_away()
    {
        var produced = 0;
        string? disposedOn = null;
        var disposed = false;
        var clientGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        IEnumerable<string> Endless()
        {
            try
            {
                for (var i = 0; i < 1_000_000; i++)
                {
                    // After enough items for a first chunk, wait until the client has hung up, then keep going: the
                    // enumeration must stop between items, long before the end.
                    if (i == 2_000 && !clientGone.Task.Wait(TestHosts.HangGuard))
                    {
                        throw new TimeoutException("The client did not go away.");
                    }

                    Interlocked.Increment(ref produced);
                    yield return $"item {i} with a little padding to fill the buffer";
                }
            }
            finally
            {
                disposedOn = Thread.CurrentThread.Name ?? "pool";
                Volatile.Write(ref disposed, true);
            }
        }

        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => app.MapGet("/endless", Endless).OffloadSync());

        // A client that reads the start of the body and hangs up: no HttpClient draining the rest to reuse the connection.
        using (var client = await RawHttp.OpenAsync(offloaded, "/endless"))
        {
            (await client.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TestHosts.HangGuard)).ShouldBeGreaterThan(0);
            client.LingerState = new LingerOption(true, 0);
        }

        clientGone.SetResult();

        try
        {
            await TestHosts.WaitUntilAsync(() => Volatile.Read(ref disposed), "the enumerator to be disposed");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Produced: {Volatile.Read(ref produced)}.", e);
        }

        Volatile.Read(ref produced).ShouldBeLessThan(1_000_000);
        disposedOn.ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task A_finished_sequence_is_disposed_on_the_executor()
    {
        string? disposedOn = null;
        IEnumerable<int> Counted()
        {
            try
            {
                yield return 1;
                yield return 2;
            }
            finally
            {
                disposedOn = Thread.CurrentThread.Name ?? "pool";
            }
        }

        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => app.MapGet("/counted", Counted).OffloadSync());

        (await offloaded.Client.GetStringAsync("/counted")).ShouldBe("[1,2]");
        disposedOn.ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }
}
