using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// A synchronous stream behind <c>Results.Stream</c>/<c>Results.File</c>, read on the executor: each
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> of the response writer is one executor hop running the inner
/// stream's synchronous <see cref="Stream.Read(Span{byte})"/>, with the request's execution context.
/// </summary>
/// <remarks>
/// Without SyncContext a <see cref="FileStream"/>, or a stream that only implements <see cref="Stream.Read(byte[], int, int)"/>,
/// is read by the thread pool: <see cref="Stream"/>'s own <c>ReadAsync</c> and the file stream's on Unix both run the
/// blocking read there. Length, position and seeking (the writer's range handling) stay on the caller's thread, as
/// they were; disposal, which may flush or close a handle, goes to the executor.
/// </remarks>
internal sealed class ExecutorReadStream : Stream
{
    private static readonly Func<object?, int> s_read = static state => ((ExecutorReadStream)state!).ReadOnWorker();
    private static readonly Func<object?, bool> s_dispose = static state => ((ExecutorReadStream)state!).DisposeInner();

    private readonly Stream _inner;
    private readonly SyncExecutor _executor;
    private Memory<byte> _destination;
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>, to be read on <paramref name="executor"/>.</summary>
    public ExecutorReadStream(Stream inner, SyncExecutor executor)
    {
        _inner = inner;
        _executor = executor;
    }

    /// <inheritdoc />
    public override bool CanRead => _inner.CanRead;

    /// <inheritdoc />
    public override bool CanSeek => _inner.CanSeek;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => _inner.Length;

    /// <inheritdoc />
    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (_executor.IsExecutorThread)
        {
            return new ValueTask<int>(_inner.Read(buffer.Span));
        }

        // One read at a time, as a stream allows: the destination travels in a field, not a closure.
        _destination = buffer;
        return _executor.TryRunUnsafe(s_read, this, cancellationToken, out var read)
            ? new ValueTask<int>(read)
            : ValueTask.FromException<int>(_executor.NewRefusal());
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Queued without a token: it must run even when the request was aborted. Refused, it runs here.
        if (!_executor.TryRunUnsafe(s_dispose, this, default, out var disposal))
        {
            DisposeInner();
        }
        else
        {
            try
            {
                await disposal.ConfigureAwait(false);
            }
            catch (WorkRejectedException)
            {
                // Failed before it started (its wait, or shutdown): disposed here, as a refused one is.
                DisposeInner();
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int ReadOnWorker()
    {
        SyncExecutor.BeginWork();
        var destination = _destination;
        _destination = default;
        return _inner.Read(destination.Span);
    }

    private bool DisposeInner()
    {
        // Even when the executor is abandoning its queue at shutdown: a handle is released either way.
        _inner.Dispose();
        return true;
    }
}
