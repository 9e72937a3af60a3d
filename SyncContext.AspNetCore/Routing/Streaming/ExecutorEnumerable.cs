using System.Collections;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// A lazy sequence returned by an offloaded handler, handed to the response writer in its place: still the same
/// <see cref="IEnumerable{T}"/>, and also an <see cref="IAsyncEnumerable{T}"/> whose every step runs on the executor.
/// </summary>
/// <remarks>
/// <para>
/// ASP.NET Core's request delegate factory writes a result declared as an interface (<c>IEnumerable&lt;T&gt;</c>,
/// <c>object</c>) with the value's runtime type, and System.Text.Json picks its <see cref="IAsyncEnumerable{T}"/>
/// converter before its <see cref="IEnumerable{T}"/> one for a type that is both. So the serializer awaits
/// <see cref="IAsyncEnumerator{T}.MoveNextAsync"/> item by item, writing and flushing as its buffer fills, while
/// each inner <see cref="IEnumerator.MoveNext"/> (and <see cref="IEnumerator{T}.Current"/>) runs on a
/// SyncContext thread with the request's execution context. The JSON is the same: both converters write an array.
/// </para>
/// <para>
/// Synchronous enumeration (a filter, a formatter) goes straight to the inner sequence, on the caller's thread,
/// as it would without SyncContext.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type, the one the serializer would have found on the inner sequence.</typeparam>
internal sealed class ExecutorEnumerable<T>(IEnumerable<T> inner, SyncExecutor executor, CancellationToken requestAborted)
    : IEnumerable<T>, IAsyncEnumerable<T>
{
    /// <summary>The sequence the handler returned.</summary>
    public IEnumerable<T> Inner { get; } = inner;

    /// <summary>Wraps <paramref name="inner"/>; the shape the per-type cache of <see cref="LazyResults"/> calls.</summary>
    public static object Create(object inner, SyncExecutor executor, CancellationToken requestAborted)
        => new ExecutorEnumerable<T>((IEnumerable<T>)inner, executor, requestAborted);

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => Inner.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        => new Enumerator(Inner, executor, cancellationToken, requestAborted);

    /// <summary>Moves the inner enumerator one item per executor hop; creates and disposes it there too.</summary>
    private sealed class Enumerator(IEnumerable<T> source, SyncExecutor executor, CancellationToken cancellationToken, CancellationToken requestAborted)
        : IAsyncEnumerator<T>
    {
        private static readonly Func<object?, bool> s_step = static state => ((Enumerator)state!).Step();
        private static readonly Func<object?, bool> s_dispose = static state => ((Enumerator)state!).DisposeInner();

        private IEnumerator<T>? _inner;
        private bool _disposed;

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            // Between items: the serializer's token, or the client gone, stops the enumeration before the next step.
            cancellationToken.ThrowIfCancellationRequested();
            requestAborted.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            return executor.TryRunUnsafe(s_step, this, default, out var step)
                ? new ValueTask<bool>(step)
                : ValueTask.FromException<bool>(OffloadRuntime.Rejection);
        }

        public ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return default;
            }

            _disposed = true;
            if (_inner is null)
            {
                return default;
            }

            // Dispose must run even when the request was aborted, so it is queued without a token. If the executor
            // refuses it (full, or stopping), the inner enumerator is still disposed, here: a leaked resource is worse
            // than one blocking step on this thread.
            if (executor.TryRunUnsafe(s_dispose, this, default, out var disposal))
            {
                return new ValueTask(disposal);
            }

            DisposeInner();
            return default;
        }

        private bool Step()
        {
            SyncExecutor.ThrowIfAbandoned();
            _inner ??= source.GetEnumerator();
            if (_inner.MoveNext())
            {
                Current = _inner.Current;
                return true;
            }

            Current = default!;
            return false;
        }

        private bool DisposeInner()
        {
            _inner?.Dispose();
            _inner = null;
            return true;
        }
    }
}
