using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Http;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// Runs one endpoint's synchronous handler on the executor: the work shared by every
/// <c>OffloadedHandler&lt;..., TResult&gt;</c>, each of which only forwards its arguments here.
/// </summary>
/// <remarks>
/// <para>
/// The offload is not a filter. ASP.NET Core's request delegate factory (RDF) is handed a typed wrapper with the
/// handler's own parameter types that returns <see cref="Task{TResult}"/>, together with the metadata and argument
/// bindings it inferred from the user's original method (see <see cref="OffloadedRequestDelegate"/>). So RDF builds
/// the same request delegate it builds without SyncContext: it binds the same way, answers binding failures with
/// 400 before the wrapper is called (the executor is never touched), writes the result with the writer of
/// <typeparamref name="TResult"/> (a string handler's text is written by <see cref="WriteText(Task{TResult})"/>, as RDF writes it
/// for a synchronous handler), and calls the handler during re-execution (<c>UseExceptionHandler("/error")</c>,
/// <c>UseStatusCodePagesWithReExecute</c>), which an endpoint filter would skip once the status is 400 or more.
/// Only the thread that runs the handler body differs.
/// </para>
/// <para>
/// Per request it allocates one object, the call, which is its own task (<see cref="ExecutorItem{TResult}"/>: the
/// arguments and the request's execution context are its fields), and, when the request has to await the worker, the
/// await's state machine (RDF's own for a <see cref="Task{TResult}"/>, <see cref="WriteText(Task{TResult})"/>'s for a
/// string handler). The handler's flow is marked in its worker's slot (<see cref="RunningOperations"/>), not in a new
/// execution context, and <c>RequestAborted</c> is checked when a worker takes the call rather than registered on the
/// task (<see cref="SyncExecutor.DispatchOperation{TResult}"/>). A rejection allocates nothing: the executor admits the
/// call before it is created, and the refusal is a cached faulted
/// task, handed on as it is and answered with 503 by <see cref="RejectionAnswer"/> around the endpoint.
/// </para>
/// </remarks>
/// <typeparam name="TResult">The handler's return type, or <see cref="NoResult"/> for a <see langword="void"/> one.</typeparam>
internal abstract class Offloader<TResult>(OffloadRuntime runtime) : IKeyedWork
{
    // The exception is the executor's shared one: nothing reads its stack (the endpoint answers it before user
    // middleware sees it), and shedding load must stay as cheap as the executor's own allocation-free rejection.
    private readonly Task<TResult> _rejected = Task.FromException<TResult>(runtime.Executor.Refusal);

    internal OffloadRuntime Runtime { get; } = runtime;

    /// <summary>Gets the endpoint's offloader, so that the executor learns each endpoint's work on its own.</summary>
    public object WorkKey => this;

    /// <summary>Gets the endpoint's route template, for <c>http.route</c>.</summary>
    public string? Route => Runtime.Route;

    /// <summary>
    /// Asks the executor for a place before the call is created, so that a refusal allocates nothing;
    /// <paramref name="aborted"/> is the request's <c>RequestAborted</c>: a request already aborted never runs its call.
    /// </summary>
    protected bool TryAdmit(out Admission admission, out CancellationToken aborted)
    {
        aborted = Runtime.HttpContexts.HttpContext?.RequestAborted ?? default;
        admission = Runtime.Executor.AdmitOperation(aborted);
        return admission.Mode != AdmissionMode.Rejected;
    }

    /// <summary>The task of a refused call: the cached one, or one that carries its predicted wait.</summary>
    protected Task<TResult> Refused(Admission admission) => Runtime.Executor.RefusedOperation<TResult>(admission) ?? _rejected;

    /// <summary>Runs or queues an admitted call on the executor.</summary>
    protected Task<TResult> Dispatch(OffloadedCall<TResult> call, Admission admission, CancellationToken aborted)
        => Runtime.Executor.DispatchOperation(call, admission, aborted);

    /// <summary>
    /// Writes a string handler's answer once its call has returned, as RDF writes a synchronous string handler's: the
    /// content type <c>text/plain; charset=utf-8</c> unless the handler set one, then the text. The wrapper of a string
    /// handler without filters returns this <see cref="Task"/>, not <see cref="Task{TResult}"/>, because RDF's writer of
    /// a <c>Task&lt;string&gt;</c> sets the content type before it awaits the task: on the request thread while the
    /// handler runs on the worker, so the handler saw a content type it never sees without SyncContext (and
    /// <c>Response.Headers.Clear()</c> removed it), and both threads wrote the response's headers at once. Here the
    /// request thread touches the response only after the handler returned, as without SyncContext. A failed call is
    /// handed on as it is: a rejection stays the cached task that <see cref="RejectionAnswer"/> answers with 503.
    /// </summary>
    protected Task WriteText(Task<TResult> call)
    {
        if (call.IsCompletedSuccessfully)
        {
            return WriteText(CurrentHttpContext(), (string?)(object?)call.Result);
        }

        return call.IsCompleted ? call : WriteWhenReturned(call, CurrentHttpContext());

        static async Task WriteWhenReturned(Task<TResult> call, HttpContext httpContext)
            => await WriteText(httpContext, (string?)(object?)await call);
    }

    private static Task WriteText(HttpContext httpContext, string? text)
    {
        httpContext.Response.ContentType ??= "text/plain; charset=utf-8";
        return httpContext.Response.WriteAsync(text!); // a null string fails here, as it does without SyncContext
    }

    private HttpContext CurrentHttpContext()
        => Runtime.HttpContexts.HttpContext
           ?? throw new InvalidOperationException("An offloaded string handler ran with no current HttpContext: IHttpContextAccessor is not set for this request.");
}

/// <summary>One call of a handler with its arguments, as it travels to the worker.</summary>
/// <typeparam name="TResult">The handler's return type, or <see cref="NoResult"/>.</typeparam>
internal abstract class OffloadedCall<TResult>(Offloader<TResult> owner) : ExecutorItem<TResult>(owner)
{
    /// <summary>Runs on the worker, inside the request's execution context.</summary>
    protected override TResult Run()
    {
        var runtime = owner.Runtime;
        var httpContext = runtime.HttpContexts.HttpContext;

        // Still queued when the shutdown timeout ran out, or its request aborted while it waited: this throws, the
        // handler never runs, and the request is answered as any other rejection (or not at all).
        var mark = SyncExecutor.BeginOperationWork(httpContext);
        try
        {
            using var synchronousIO = runtime.AllowSynchronousIO && httpContext is not null ? new SynchronousIOScope(httpContext) : default;
            return OffloadedResults.Prepare(Call(), httpContext);
        }
        finally
        {
            mark.End();
        }
    }

    /// <summary>Calls the user's handler with the arguments.</summary>
    protected abstract TResult Call();
}

/// <summary>The result of a <see langword="void"/> handler, which the wrapper hands to RDF as a plain <see cref="Task"/>.</summary>
internal readonly struct NoResult;
