using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Http;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Mvc;

/// <summary>
/// What <c>OffloadSync()</c> does to an endpoint MVC builds: a controller action is offloaded at its action method
/// (<see cref="ControllerOffload"/>), a Razor page at its handler method (<see cref="PageOffload"/>); any other kind of
/// MVC action cannot be, and fails rather than be silently left on the pool. Both offloads run their one step through
/// <see cref="RunAsync"/>.
/// </summary>
internal static class MvcOffload
{
    /// <summary>
    /// Called by the finally convention for an MVC endpoint, once its metadata is complete: marks a page as offloaded,
    /// checks that a controller action was reached by <see cref="ControllerOffload.AddFilter"/>, and fails for anything else.
    /// </summary>
    public static void Apply(EndpointBuilder endpoint, ActionDescriptor action)
    {
        switch (action)
        {
            case ControllerActionDescriptor controller:
                ControllerOffload.EnsureOffloaded(endpoint, controller);
                return;
            case PageActionDescriptor page:
                PageOffload.Mark(endpoint, page);
                return;
            default:
                throw new InvalidOperationException(
                    $"OffloadSync() cannot offload the endpoint '{endpoint.DisplayName}': it is an MVC action of kind {action.GetType().Name}, which SyncContext does not run on its executor " +
                    "(it offloads controller actions and Razor Pages handlers). Remove OffloadSync() from it, and run blocking code with IRunSync from an async action.");
        }
    }

    /// <summary>
    /// Runs one synchronous step of an MVC request (a controller's action method, a page's handler method) on the
    /// endpoint's executor, with the request's context, synchronous body I/O allowed when
    /// <see cref="OffloadRuntime.AllowSynchronousIO"/> says so, and the request's <c>RequestAborted</c>: a request aborted
    /// while it waits is not run. A rejection is the executor's faulted task; MVC hands it on as the step's exception.
    /// </summary>
    /// <param name="runtime">The endpoint's executor and options.</param>
    /// <param name="context">The request.</param>
    /// <param name="kind">
    /// What the executor learns the step's profile under (CPU-bound or blocking, its run time), kept for its life: the
    /// action's endpoint, the page's handler. Without it every action of the app would share one profile.
    /// </param>
    /// <param name="step">The step.</param>
    /// <param name="state">The step's state.</param>
    public static Task<TResult> RunAsync<TState, TResult>(OffloadRuntime runtime, HttpContext context, object kind, Func<TState, TResult> step, TState state)
        => runtime.Executor.RunAsync(StepCall<TState, TResult>.Run, new StepCall<TState, TResult>(step, state, context, runtime, kind), context.RequestAborted);

    /// <summary>The step with what it runs with; its kind and route are those of the item on the executor.</summary>
    private sealed class StepCall<TState, TResult>(Func<TState, TResult> step, TState state, HttpContext context, OffloadRuntime runtime, object kind) : IKeyedWork
    {
        public static readonly Func<StepCall<TState, TResult>, TResult> Run = static call =>
        {
            using var synchronousIO = call._runtime.AllowSynchronousIO ? new SynchronousIOScope(call._context) : default;
            return call._step(call._state);
        };

        private readonly Func<TState, TResult> _step = step;
        private readonly TState _state = state;
        private readonly HttpContext _context = context;
        private readonly OffloadRuntime _runtime = runtime;

        public object WorkKey { get; } = kind;

        public string? Route => _runtime.Route;
    }
}
