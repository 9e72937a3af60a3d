using System.ComponentModel;
using SyncContext.AspNetCore.Http;

namespace SyncContext.AspNetCore.Binding;

/// <summary>
/// A delegate the framework calls, with its parameters bound at start-up. Whether it runs on the executor
/// was decided then, from its return type: a synchronous one runs there through <see cref="IRunSync"/>, the
/// one seam every offload goes through; one returning <see cref="Task"/> or <see cref="ValueTask"/> runs
/// where it is called. Bound by reflection (<see cref="DelegateBinder"/>) or by the code the SyncContext generator
/// emits (<see cref="SyncContextHooks"/>), which is why the type is public; it has no public members.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BoundHook
{
    private readonly Delegate _handler;
    private readonly Func<Delegate, HookInvocation, object?> _invoke;

    internal BoundHook(Delegate handler, Func<Delegate, HookInvocation, object?> invoke, bool isAsync, bool returnsValue, HookService[]? requiredServices = null)
    {
        _handler = handler;
        _invoke = invoke;
        IsAsync = isAsync;
        ReturnsValue = returnsValue;
        RequiredServices = requiredServices ?? [];
    }

    /// <summary>Whether the delegate returns a task and so runs inline.</summary>
    internal bool IsAsync { get; }

    /// <summary>Whether the delegate returns something other than <see langword="void"/> or a plain task.</summary>
    internal bool ReturnsValue { get; }

    /// <summary>
    /// The services its parameters require, checked against the app's services when the hook is added
    /// (<see cref="SyncContextHooks"/>); empty when the reflection binder has checked them already.
    /// </summary>
    internal HookService[] RequiredServices { get; }

    /// <summary>The delegate's method, for logs.</summary>
    internal string Name => _handler.Method.Name;

    /// <summary>
    /// Runs the delegate: a synchronous one on the executor with the caller's context, an asynchronous one here.
    /// </summary>
    /// <param name="executor">The executor.</param>
    /// <param name="invocation">What the delegate's parameters are bound from.</param>
    /// <param name="cancellationToken">Cancels a synchronous delegate that has not started yet.</param>
    /// <returns>What the delegate returned, or <see langword="null"/>.</returns>
    internal Task<object?> InvokeAsync(IRunSync executor, HookInvocation invocation, CancellationToken cancellationToken)
    {
        if (IsAsync)
        {
            return (Task<object?>)_invoke(_handler, invocation)!;
        }

        return executor.RunAsync(static state => state.Hook.Invoke(state.Invocation), (Hook: this, Invocation: invocation), cancellationToken);
    }

    /// <summary>Runs a synchronous delegate on the current thread.</summary>
    internal object? Invoke(HookInvocation invocation)
    {
        if (invocation.HttpContext is { } context)
        {
            // On an executor thread a sync hook may read or write the body synchronously, as a sync handler may.
            using var synchronousIO = new SynchronousIOScope(context);
            return _invoke(_handler, invocation);
        }

        return _invoke(_handler, invocation);
    }
}
