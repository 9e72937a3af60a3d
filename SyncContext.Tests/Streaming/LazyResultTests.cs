using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using SyncContext.Tests.Routing;

namespace SyncContext.Tests.Streaming;

/// <summary>
/// Issue 7, item 2: a lazy sequence inside <c>Ok</c>, <c>Json</c> or a <c>Results&lt;...&gt;</c> union, an
/// <c>IQueryable&lt;T&gt;</c>, and an async sequence made by sync code are produced on the executor with the request's
/// context, streamed, stopped when the client leaves and disposed on the executor, with the response ASP.NET Core
/// gives without the package.
/// </summary>
public class LazyResultTests
{
    private const int Many = 10_000;

    private const int SeveralBatches = 64 * 3 + 5;

    public static TheoryData<string> Shapes() => LazyResultShapes.All();

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Generated)]
    public async Task Every_shape_gives_the_same_status_headers_and_bytes_as_without_the_package(OffloadMode mode)
    {
        await using var plain = await KestrelApp.StartAsync(withSyncContext: false, app => MapProducedAt(app, OffloadMode.None, "here"));
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => MapProducedAt(app, mode, "here"));

        foreach (var url in LazyResultShapes.Names.Select(static shape => "/" + shape).Append("/union?id=0").Append("/union?id=3"))
        {
            var without = await plain.SeeAsync(url);
            var with = await offloaded.SeeAsync(url);
            with.ShouldBe(without, url);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Every_item_is_produced_on_the_executor_with_the_request_context(string shape)
    {
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => LazyResultShapes.MapAll(app, OffloadMode.Endpoint, SeveralBatches));

        var items = await offloaded.Client.GetFromJsonAsync<Tea[]>("/" + shape);

        items.ShouldNotBeNull().Length.ShouldBe(SeveralBatches);
        items.ShouldAllBe(tea => tea.Name.StartsWith("SyncContext #", StringComparison.Ordinal) && tea.Name.EndsWith("|/" + shape, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_finished_sequence_is_disposed_on_the_executor(string shape)
    {
        string? disposedOn = null;
        IEnumerable<Tea> Counted()
        {
            try
            {
                yield return new Tea(1, "one");
                yield return new Tea(2, "two");
            }
            finally
            {
                disposedOn = Thread.CurrentThread.Name ?? "pool";
            }
        }

        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app =>
            app.MapGet("/" + shape, LazyResultShapes.Handler(shape, Counted)).OffloadSync());

        (await offloaded.Client.GetFromJsonAsync<Tea[]>("/" + shape)).ShouldNotBeNull().Length.ShouldBe(2);
        await TestHosts.WaitUntilAsync(() => Volatile.Read(ref disposedOn) is not null, "the enumerator to be disposed");
        disposedOn.ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_first_bytes_reach_the_client_before_the_last_item_is_produced(string shape)
    {
        var firstChunkRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var produced = 0;
        IEnumerable<Tea> Gated() => Enumerable.Range(0, Many).Select(i =>
        {
            // A blocking step near the end: it only goes on once the client has read the start of the body.
            if (i == Many - 100 && !firstChunkRead.Task.Wait(TestHosts.HangGuard))
            {
                throw new TimeoutException("The client never saw the first bytes while the sequence was being produced.");
            }

            Interlocked.Increment(ref produced);
            return new Tea(i, $"tea number {i}");
        });

        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app =>
            app.MapGet("/" + shape, LazyResultShapes.Handler(shape, Gated)).OffloadSync());

        using var response = await offloaded.Client.GetAsync("/" + shape, HttpCompletionOption.ResponseHeadersRead);
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

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_enumeration_stops_and_is_disposed_on_the_executor_when_the_client_goes_away(string shape)
    {
        var produced = 0;
        string? disposedOn = null;
        var clientGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        IEnumerable<Tea> Endless()
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
                    yield return new Tea(i, "an item with a little padding to fill the buffer");
                }
            }
            finally
            {
                Volatile.Write(ref disposedOn, Thread.CurrentThread.Name ?? "pool");
            }
        }

        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app =>
            app.MapGet("/" + shape, LazyResultShapes.Handler(shape, Endless)).OffloadSync());

        using (var client = await RawHttp.OpenAsync(offloaded, "/" + shape))
        {
            (await client.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TestHosts.HangGuard)).ShouldBeGreaterThan(0);
            client.LingerState = new LingerOption(true, 0);
        }

        clientGone.SetResult();
        try
        {
            await TestHosts.WaitUntilAsync(() => Volatile.Read(ref disposedOn) is not null, "the enumerator to be disposed");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Produced: {Volatile.Read(ref produced)}.", e);
        }

        Volatile.Read(ref produced).ShouldBeLessThan(1_000_000);
        disposedOn.ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }

    private static void MapProducedAt(WebApplication app, OffloadMode mode, string name)
    {
        var map = new OffloadMapper(app, mode);
        foreach (var shape in LazyResultShapes.Names)
        {
            map.MapGet("/" + shape, LazyResultShapes.Handler(shape, () => Enumerable.Range(0, SeveralBatches).Select(i => new Tea(i, name + i))));
        }
    }
}
