using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Streaming;

/// <summary>Results that are not lazy go through the seam without an allocation.</summary>
public class PreparationCostTests
{
    private const int Calls = 10_000;

    private sealed record Todo(int Id, string Title);

    public static TheoryData<string> NotLazy() => ["int", "string", "record", "ok-record", "iresult-ok-int", "iresult-not-found", "iresult-union", "list", "object-array", "file-over-network-like-stream"];

    [Theory]
    [MemberData(nameof(NotLazy))]
    public void A_result_that_is_not_lazy_is_handed_back_as_it_is_without_allocating(string shape)
    {
        var httpContext = new DefaultHttpContext();
        Func<long> run = shape switch
        {
            "int" => () => Measure(42, httpContext),
            "string" => () => Measure("tea", httpContext),
            "record" => () => Measure(new Todo(1, "a"), httpContext),
            "ok-record" => () => Measure(TypedResults.Ok(new Todo(1, "a")), httpContext),
            "iresult-ok-int" => () => Measure<IResult>(Results.Ok(1), httpContext),
            "iresult-not-found" => () => Measure<IResult>(Results.NotFound(), httpContext),
            "iresult-union" => () => Measure<IResult>((Results<Ok<IEnumerable<int>>, NotFound>)TypedResults.NotFound(), httpContext),
            "list" => () => Measure<IEnumerable<int>>(new List<int> { 1, 2 }, httpContext),
            "object-array" => () => Measure<object>(new[] { 1, 2 }, httpContext),
            "file-over-network-like-stream" => () => Measure<IResult>(Results.Stream(new AsyncOnlyStream()), httpContext),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };

        // An allocation per call would be at least 24 bytes each; what is left is the runtime's own one-off noise
        // (tiering, a resize), below a byte per call.
        run.Invoke().ShouldBeLessThan(Calls, $"bytes allocated by {Calls} preparations of {shape}");
    }

    private static long Measure<TResult>(TResult result, HttpContext httpContext)
    {
        // Warm up: the per-type decisions are made, and cached, on the first call.
        OffloadedResults.Prepare(result, httpContext).ShouldBe(result);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            OffloadedResults.Prepare(result, httpContext);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>A stream with asynchronous reads of its own (a network stream, say): left where it reads.</summary>
    private sealed class AsyncOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(0);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(0);

        public override IAsyncResult BeginRead(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
