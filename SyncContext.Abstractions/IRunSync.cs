namespace SyncContext;

/// <summary>
/// Runs synchronous, possibly blocking work on a dedicated executor, with the caller's
/// <see cref="System.Threading.ExecutionContext"/> (async-locals, culture, activity, logging scopes) flowed in.
/// </summary>
/// <remarks>
/// <para>
/// This is the counterpart of Quart's <c>run_sync</c>: unlike <see cref="Task.Run(Action)"/>, the work never
/// runs on a shared thread-pool thread, so blocking it cannot starve the rest of the process.
/// </para>
/// <para>
/// To run work on the same executor <em>without</em> the caller's context (asyncio's <c>run_in_executor</c>, which
/// Quart sets against <c>run_sync</c>), use <see cref="IRunInExecutor"/>.
/// </para>
/// <para>
/// Changes the work makes to async-local state are not seen by the caller, nor by the next work item
/// on the same thread. Called from an executor thread, the work runs inline, so nested calls cannot
/// deadlock a saturated executor.
/// </para>
/// <para>
/// The returned task faults with <see cref="WorkRejectedException"/> when the executor's queue is full
/// or the executor is stopping, and is cancelled without running the work when
/// <c>cancellationToken</c> is cancelled before the work starts.
/// </para>
/// </remarks>
public interface IRunSync
{
    /// <summary>Runs <paramref name="work"/> on the executor.</summary>
    /// <param name="work">The synchronous work.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes when the work has run.</returns>
    Task RunAsync(Action work, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> on the executor and returns its result.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="work">The synchronous work.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes with the work's result.</returns>
    Task<TResult> RunAsync<TResult>(Func<TResult> work, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> with <paramref name="state"/> on the executor, so hot callers need no closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="work">The synchronous work, ideally a static lambda.</param>
    /// <param name="state">The state passed to <paramref name="work"/>.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes when the work has run.</returns>
    Task RunAsync<TState>(Action<TState> work, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> with <paramref name="state"/> on the executor and returns its result.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="work">The synchronous work, ideally a static lambda.</param>
    /// <param name="state">The state passed to <paramref name="work"/>.</param>
    /// <param name="cancellationToken">Cancels the work if it has not started yet.</param>
    /// <returns>A task that completes with the work's result.</returns>
    Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default);
}
