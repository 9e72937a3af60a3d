using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// An <see cref="IAsyncEnumerable{T}"/> returned by an offloaded handler, handed to the response writer in its place:
/// every <see cref="IAsyncEnumerator{T}.MoveNextAsync"/> of the inner sequence starts on the executor, with the
/// request's execution context.
/// </summary>
/// <remarks>
/// <para>
/// A sync handler's async sequence is usually sync code in disguise (a sync iterator behind
/// <c>ToAsyncEnumerable()</c>, an <c>async</c> iterator that never awaits, an enumerator that blocks in
/// <c>MoveNextAsync</c>): without SyncContext its steps run on the thread pool, inside the serializer. Here a batch of
/// steps runs in one executor hop, as <see cref="ExecutorEnumerable{T}"/> does it, for the same reason (the serializer
/// flushes whenever a step is pending). A step that does go asynchronous ends the batch; the writer awaits it where it
/// completes, as it would without SyncContext, and the next batch starts on the executor again.
/// </para>
/// <para>
/// The first batch is produced right after the handler returned, so a sequence that fails at once fails the handler
/// (the plain 500). The inner enumerator gets the request's <see cref="HttpContext.RequestAborted"/>, the token the
/// writer would have passed it.
/// </para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class ExecutorAsyncEnumerable<T> : IAsyncEnumerable<T>
{
    private readonly IAsyncEnumerable<T> _inner;
    private readonly SyncExecutor _executor;
    private readonly HttpContext _httpContext;
    private readonly CancellationToken _requestAborted;
    private Enumerator? _started;

    private ExecutorAsyncEnumerable(IAsyncEnumerable<T> inner, SyncExecutor executor, HttpContext httpContext)
    {
        _inner = inner;
        _executor = executor;
        _httpContext = httpContext;
        _requestAborted = httpContext.RequestAborted;
    }

    /// <summary>Wraps <paramref name="inner"/> and produces its first batch, on the executor thread that ran the handler.</summary>
    public static object Create(object inner, SyncExecutor executor, HttpContext httpContext)
    {
        var sequence = new ExecutorAsyncEnumerable<T>((IAsyncEnumerable<T>)inner, executor, httpContext);
        var first = sequence.Begin();
        try
        {
            first.Fill();
        }
        catch
        {
            first.DisposeInnerQuietly();
            throw;
        }

        sequence._started = first;
        return sequence;
    }

    /// <inheritdoc />
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var enumerator = Interlocked.Exchange(ref _started, null) ?? Begin();
        enumerator.CancellationToken = cancellationToken;
        return enumerator;
    }

    /// <summary>A new enumeration, disposed at the latest when the response is (see <see cref="ExecutorEnumerable{T}"/>).</summary>
    private Enumerator Begin()
    {
        var enumerator = new Enumerator(this);
        _httpContext.Response.RegisterForDisposeAsync(enumerator);
        return enumerator;
    }

    /// <summary>Hands out the batch one item at a time; starts the inner steps on the executor; disposes there too.</summary>
    private sealed class Enumerator(ExecutorAsyncEnumerable<T> sequence) : IAsyncEnumerator<T>
    {
        private static readonly Func<object?, bool> s_fill = static state => ((Enumerator)state!).FillOnWorker();
        private static readonly Func<object?, Task> s_dispose = static state => ((Enumerator)state!).DisposeInnerAsync();

        private ItemBatch<T> _batch;
        private IAsyncEnumerator<T>? _inner;
        private Task<bool>? _pending;
        private bool _finished;
        private bool _disposed;

        public CancellationToken CancellationToken { get; set; }

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            CancellationToken.ThrowIfCancellationRequested();
            sequence._requestAborted.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TryTake())
            {
                return new ValueTask<bool>(true);
            }

            if (_pending is { } pending)
            {
                _pending = null;
                return TakePendingAsync(pending);
            }

            if (_finished)
            {
                return new ValueTask<bool>(false);
            }

            return sequence._executor.TryRunUnsafe(s_fill, this, default, out var fill)
                ? TakeAfterAsync(fill)
                : ValueTask.FromException<bool>(sequence._executor.NewRefusal());
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_inner is null)
            {
                return;
            }

            if (Interlocked.Exchange(ref _pending, null) is { } pending)
            {
                // An inner enumerator may not be disposed while a step is running.
                await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (sequence._executor.TryRunUnsafe(s_dispose, this, default, out var disposal))
            {
                try
                {
                    await (await disposal.ConfigureAwait(false)).ConfigureAwait(false);
                    return;
                }
                catch (WorkRejectedException) when (disposal.IsFaulted)
                {
                    // Failed before it started (its wait, or shutdown): disposed here, as a refused one is.
                }
            }

            await DisposeInnerAsync().ConfigureAwait(false);
        }

        /// <summary>Starts the inner steps until a batch is full, the sequence ends or a step goes asynchronous; on the executor.</summary>
        public void Fill()
        {
            _inner ??= sequence._inner.GetAsyncEnumerator(sequence._requestAborted);
            _batch.Reset();
            while (!_batch.IsFull)
            {
                if (!_batch.IsEmpty && sequence._requestAborted.IsCancellationRequested)
                {
                    return;
                }

                var step = _inner.MoveNextAsync();
                if (!step.IsCompleted)
                {
                    _pending = step.AsTask();
                    return;
                }

                if (!step.GetAwaiter().GetResult())
                {
                    _finished = true;
                    return;
                }

                _batch.Add(_inner.Current);
            }
        }

        /// <summary>Disposes the inner enumerator after a failed first batch, keeping the batch's exception.</summary>
        public void DisposeInnerQuietly()
        {
            try
            {
                DisposeInnerAsync().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The failure that ended the first batch is the one the request reports.
            }
        }

        private Task DisposeInnerAsync()
        {
            var inner = _inner;
            _inner = null;
            if (inner is null)
            {
                return Task.CompletedTask;
            }

            var disposal = inner.DisposeAsync();
            return disposal.IsCompletedSuccessfully ? Task.CompletedTask : disposal.AsTask();
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

        private async ValueTask<bool> TakePendingAsync(Task<bool> pending)
        {
            if (!await pending.ConfigureAwait(false))
            {
                _finished = true;
                return false;
            }

            Current = _inner!.Current;
            return true;
        }

        private async ValueTask<bool> TakeAfterAsync(Task<bool> fill)
        {
            await fill.ConfigureAwait(false);
            return await MoveNextAsync().ConfigureAwait(false);
        }
    }
}
