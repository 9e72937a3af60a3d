namespace SyncContext;

/// <summary>
/// Runs synchronous, possibly blocking work on the same dedicated executor as <see cref="IRunSync"/>, but
/// <em>without</em> the caller's <see cref="System.Threading.ExecutionContext"/>: the work sees no async-locals,
/// no <c>IHttpContextAccessor.HttpContext</c>, no <c>Activity.Current</c>, the default culture and no logging scope.
/// </summary>
/// <remarks>
/// <para>
/// This is the counterpart of asyncio's <c>loop.run_in_executor</c>, which Quart sets against its <c>run_sync</c>:
/// <see cref="IRunSync"/> copies the context in (<c>run_sync</c>), this does not (<c>run_in_executor</c>). Use it for
/// work that must not see, or hold on to, the request it was started from, such as a cache refresh shared by
/// every request, or a library that would otherwise keep the request's <c>Activity</c> alive.
/// </para>
/// <para>
/// Everything else is <see cref="IRunSync"/>'s: the same threads (named <c>SyncContext #n</c>), the same bounded
/// queue and <see cref="WorkRejectedException"/>, the same cancellation before the work starts, and a call from an
/// executor thread runs inline, still without the caller's context. The caller's own context is not changed.
/// </para>
/// </remarks>
public interface IRunInExecutor
{
    /// <summary>Runs <paramref name="work"/> on the executor, in an empty execution context.</summary>
    /// <param name="work">The synchronous work.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes when the work has run.</returns>
    Task RunAsync(Action work, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> on the executor, in an empty execution context, and returns its result.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="work">The synchronous work.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes with the work's result.</returns>
    Task<TResult> RunAsync<TResult>(Func<TResult> work, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> with <paramref name="state"/> on the executor, in an empty execution context.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="work">The synchronous work, ideally a static lambda.</param>
    /// <param name="state">The state passed to <paramref name="work"/>: the only way to hand it something of the caller's.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes when the work has run.</returns>
    Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> with <paramref name="state"/> on the executor, in an empty execution context, and returns its result.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="work">The synchronous work, ideally a static lambda.</param>
    /// <param name="state">The state passed to <paramref name="work"/>: the only way to hand it something of the caller's.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes with the work's result.</returns>
    Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default);
}
