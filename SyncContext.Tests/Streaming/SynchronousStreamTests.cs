using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SyncContext.Tests.Routing;

namespace SyncContext.Tests.Streaming;

/// <summary>
/// Issue 7, item 2: the synchronous stream behind <c>Results.Stream</c>, <c>Results.File</c> and
/// <c>TypedResults.Stream</c> is read on the executor, with the bytes, headers, ranges and length of ASP.NET Core's
/// answer without the package.
/// </summary>
public sealed class SynchronousStreamTests : IDisposable
{
    private const int Size = 300_000;

    private static readonly byte[] s_content = [.. Enumerable.Range(0, Size).Select(static i => (byte)(i * 7 % 251))];

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"syncctx-stream-{Guid.NewGuid():N}.bin");

    private readonly ConcurrentQueue<string> _reads = new();

    private string? _disposedOn;

    public SynchronousStreamTests() => File.WriteAllBytes(_file, s_content);

    public void Dispose() => File.Delete(_file);

    private void MapStreams(WebApplication app, OffloadMode mode)
    {
        var map = new OffloadMapper(app, mode);
        map.MapGet("/memory", IResult () => Results.Stream(new MemoryStream(s_content), "application/octet-stream"));
        map.MapGet("/file", IResult () => Results.File(File.OpenRead(_file), "text/plain", enableRangeProcessing: true));
        map.MapGet("/download", IResult () => Results.File(File.OpenRead(_file), fileDownloadName: "tea.bin",
            lastModified: new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"v1\"")));
        map.MapGet("/blocking", () => TypedResults.Stream(new BlockingStream(s_content, seekable: true, _reads, d => _disposedOn = d), enableRangeProcessing: true));
        map.MapGet("/unseekable", () => TypedResults.Stream(new BlockingStream(s_content, seekable: false, _reads, d => _disposedOn = d), "application/x-tea"));
    }

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Generated)]
    public async Task Streams_give_the_same_status_headers_bytes_and_ranges_as_without_the_package(OffloadMode mode)
    {
        await using var plain = await KestrelApp.StartAsync(withSyncContext: false, app => MapStreams(app, OffloadMode.None));
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => MapStreams(app, mode));

        foreach (var (url, range) in new (string, string?)[]
        {
            ("/memory", null), ("/file", null), ("/file", "bytes=100-199"), ("/file", "bytes=-50"), ("/file", "bytes=999999-"),
            ("/download", null), ("/blocking", null), ("/blocking", "bytes=70000-140000"), ("/unseekable", null),
        })
        {
            var without = await plain.SeeAsync(Get(url, range));
            var with = await offloaded.SeeAsync(Get(url, range));
            with.ShouldBe(without, $"{url} {range}");
        }

        static HttpRequestMessage Get(string url, string? range)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (range is not null)
            {
                request.Headers.Range = RangeHeaderValue.Parse(range);
            }

            return request;
        }
    }

    [Theory]
    [InlineData("/blocking")]
    [InlineData("/unseekable")]
    public async Task Every_read_of_a_synchronous_stream_runs_on_the_executor_and_so_does_its_disposal(string url)
    {
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => MapStreams(app, OffloadMode.Endpoint));

        (await offloaded.Client.GetByteArrayAsync(url)).ShouldBe(s_content);

        await TestHosts.WaitUntilAsync(() => Volatile.Read(ref _disposedOn) is not null, "the stream to be disposed");
        _reads.Count.ShouldBeGreaterThan(1);
        _reads.ShouldAllBe(static thread => thread.StartsWith("SyncContext #", StringComparison.Ordinal));
        _disposedOn.ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task A_range_of_a_synchronous_stream_is_read_on_the_executor()
    {
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => MapStreams(app, OffloadMode.Endpoint));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/blocking") { Headers = { Range = RangeHeaderValue.Parse("bytes=1000-1999") } };

        using var response = await offloaded.Client.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(StatusCodes.Status206PartialContent);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(s_content[1000..2000]);
        _reads.ShouldNotBeEmpty();
        _reads.ShouldAllBe(static thread => thread.StartsWith("SyncContext #", StringComparison.Ordinal));
    }

    /// <summary>A stream with only synchronous reads (as a legacy or hand-written stream has): each notes its thread.</summary>
    private sealed class BlockingStream(byte[] content, bool seekable, ConcurrentQueue<string> reads, Action<string> disposed) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => seekable ? content.Length : throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => _position = (int)value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            reads.Enqueue(Thread.CurrentThread.Name ?? "pool");
            var n = Math.Min(Math.Min(count, 16 * 1024), content.Length - _position);
            content.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
            => _position = (int)(origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => content.Length + offset });

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                disposed(Thread.CurrentThread.Name ?? "pool");
            }

            base.Dispose(disposing);
        }
    }
}
