using System.Collections;
using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// A lazy sequence returned by an offloaded handler, handed to the response writer in its place: still the same
/// <see cref="IEnumerable{T}"/>, and also an <see cref="IAsyncEnumerable{T}"/> whose items are produced on the executor.
/// </summary>
/// <remarks>
/// <para>
/// ASP.NET Core's request delegate factory writes a result declared as an interface (<c>IEnumerable&lt;T&gt;</c>,
/// <c>object</c>) with the value's runtime type, and System.Text.Json picks its <see cref="IAsyncEnumerable{T}"/>
/// converter before its <see cref="IEnumerable{T}"/> one for a type that is both. Both write the same array.
/// </para>
/// <para>
/// Items are produced in batches of up to <see cref="ItemBatch{T}.Capacity"/>, each batch one executor hop running the inner
/// <see cref="IEnumerator.MoveNext"/> (and <see cref="IEnumerator{T}.Current"/>) item by item with the request's
/// execution context. Not one hop per item: the serializer flushes the response every time a
/// <see cref="IAsyncEnumerator{T}.MoveNextAsync"/> is still pending, so one hop per item sends one HTTP chunk per item.
/// The first batch is produced on the executor right after the handler returned (<see cref="Create"/>), before
/// anything is written: a sequence that fails early fails the handler, and the request gets the 500 it gets without
/// SyncContext, not a response cut short.
/// </para>
/// <para>
/// Synchronous enumeration (a filter, a formatter) takes over the enumeration already started, on the caller's
/// thread, so the handler's sequence is never enumerated twice.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type, the one the serializer would have found on the inner sequence.</typeparam>
internal class ExecutorEnumerable<T> : IEnumerable<T>, IAsyncEnumerable<T>
{
    private readonly IEnumerable<T> _inner;
    private readonly SyncExecutor _executor;
    private readonly HttpContext _httpContext;
    private readonly CancellationToken _requestAborted;
    private Enumerator? _started;

    private protected ExecutorEnumerable(IEnumerable<T> inner, SyncExecutor executor, HttpContext httpContext)
    {
        _inner = inner;
        _executor = executor;
        _httpContext = httpContext;
        _requestAborted = httpContext.RequestAborted;
    }

    /// <summary>
    /// Wraps <paramref name="inner"/> and produces its first batch, on the executor thread that ran the handler; the
    /// shape the per-type cache of <see cref="LazyResults"/> calls.
    /// </summary>
    public static object Create(object inner, SyncExecutor executor, HttpContext httpContext)
        => Start(new ExecutorEnumerable<T>((IEnumerable<T>)inner, executor, httpContext));

    /// <summary>Produces the first batch of <paramref name="sequence"/> and hands it back, ready for the writer.</summary>
    private protected static ExecutorEnumerable<T> Start(ExecutorEnumerable<T> sequence)
    {
        var first = sequence.Begin();
        try
        {
            first.Fill();
        }
        catch
        {
            first.DisposeInner();
            throw;
        }

        sequence._started = first;
        return sequence;
    }

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator()
        => Interlocked.Exchange(ref _started, null) is { } started ? started.ContinueHere() : _inner.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var enumerator = Interlocked.Exchange(ref _started, null) ?? Begin();
        enumerator.CancellationToken = cancellationToken;
        return enumerator;
    }

    /// <summary>
    /// A new enumeration, disposed at the latest when the response is: the serializer stops without disposing it
    /// when it finds the response completed (the client went away while a flush was pending).
    /// </summary>
    private Enumerator Begin()
    {
        var enumerator = new Enumerator(this);
        _httpContext.Response.RegisterForDisposeAsync(enumerator);
        return enumerator;
    }

    /// <summary>Hands out the batch one item at a time; fills the next batch on the executor; disposes there too.</summary>
    private sealed class Enumerator(ExecutorEnumerable<T> sequence) : IAsyncEnumerator<T>
    {
        private static readonly Func<object?, bool> s_fill = static state => ((Enumerator)state!).FillOnWorker();
        private static readonly Func<object?, bool> s_dispose = static state => ((Enumerator)state!).DisposeInner();

        private ItemBatch<T> _batch;
        private IEnumerator<T>? _inner;
        private bool _finished;
        private bool _disposed;

        public CancellationToken CancellationToken { get; set; }

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            // Between items: the serializer's token, or the client gone, stops the enumeration.
            CancellationToken.ThrowIfCancellationRequested();
            sequence._requestAborted.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TryTake())
            {
                return new ValueTask<bool>(true);
            }

            if (_finished)
            {
                return new ValueTask<bool>(false);
            }

            return sequence._executor.TryRunUnsafe(s_fill, this, default, out var fill)
                ? TakeAfterAsync(fill)
                : ValueTask.FromException<bool>(sequence._executor.NewRefusal());
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
            if (sequence._executor.TryRunUnsafe(s_dispose, this, default, out var disposal))
            {
                return disposal.IsCompletedSuccessfully ? default : DisposeAfterAsync(disposal);
            }

            DisposeInner();
            return default;
        }

        /// <summary>Waits for the queued disposal; one failed before it started (its wait, or shutdown) is done here.</summary>
        private async ValueTask DisposeAfterAsync(Task<bool> disposal)
        {
            try
            {
                await disposal.ConfigureAwait(false);
            }
            catch (WorkRejectedException)
            {
                DisposeInner();
            }
        }

        /// <summary>Produces the next batch; runs on an executor thread.</summary>
        public void Fill()
        {
            _inner ??= sequence._inner.GetEnumerator();
            _batch.Reset();
            while (!_batch.IsFull)
            {
                if (!_batch.IsEmpty && sequence._requestAborted.IsCancellationRequested)
                {
                    return;
                }

                if (!_inner.MoveNext())
                {
                    _finished = true;
                    return;
                }

                _batch.Add(_inner.Current);
            }
        }

        public bool DisposeInner()
        {
            _inner?.Dispose();
            _inner = null;
            return true;
        }

        /// <summary>The rest of this enumeration, synchronously on the caller's thread.</summary>
        public IEnumerator<T> ContinueHere()
        {
            try
            {
                while (TryTake())
                {
                    yield return Current;
                }

                if (_finished || _inner is null)
                {
                    yield break;
                }

                while (_inner.MoveNext())
                {
                    yield return _inner.Current;
                }
            }
            finally
            {
                DisposeInner();
            }
        }

        private bool FillOnWorker()
        {
            SyncExecutor.BeginWork();
            Fill();
            return true;
        }

        private bool TryTake()
        {
            var taken = _batch.TryTake(out var item);
            Current = item;
            return taken;
        }

        private async ValueTask<bool> TakeAfterAsync(Task<bool> fill)
        {
            await fill.ConfigureAwait(false);
            return TryTake();
        }
    }
}
