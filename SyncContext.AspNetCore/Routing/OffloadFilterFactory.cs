using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Http;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// The endpoint filter that runs a synchronous handler on the executor. One instance per endpoint; it is
/// the only piece that moves handler bodies, whether attached by <c>OffloadSync()</c> or by the generator.
/// </summary>
/// <remarks>
/// Filter factories run last-to-first, and the last one is handed the handler itself. Attached last, this
/// filter offloads exactly the handler body: filters before it, sync or async, run where they would have.
/// Attached earlier (a runtime <c>OffloadSync()</c> followed by more filters), it offloads the rest of the
/// chain. If several are attached, only the last one acts, so a request hops once.
/// </remarks>
internal sealed class OffloadFilterFactory
{
    internal const string MissingRegistrationMessage =
        "SyncContext is not registered: call builder.Services.AddSyncContext() before mapping synchronous endpoints that are offloaded.";

    private readonly EndpointBuilder _endpoint;

    private OffloadFilterFactory(EndpointBuilder endpoint) => _endpoint = endpoint;

    /// <summary>Appends the filter to <paramref name="endpoint"/>'s filter factories.</summary>
    public static void Attach(EndpointBuilder endpoint) => endpoint.FilterFactories.Add(new OffloadFilterFactory(endpoint).Create);

    /// <summary>Fails now, with a message naming the call to add, when SyncContext is not registered.</summary>
    public static void EnsureRegistered(IServiceProvider services)
    {
        if (services.GetService<SyncExecutor>() is null)
        {
            throw new InvalidOperationException(MissingRegistrationMessage);
        }
    }

    /// <summary>Whether a handler with this return type completes asynchronously, and so is left alone.</summary>
    public static bool IsAwaitable(Type returnType)
        => typeof(Task).IsAssignableFrom(returnType)
           || returnType == typeof(ValueTask)
           || (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
           || returnType.GetMethod(nameof(Task.GetAwaiter), BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null;

    private EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        if (IsAwaitable(context.MethodInfo.ReturnType) || HasLaterOffload())
        {
            return next;
        }

        var executor = context.ApplicationServices.GetService<SyncExecutor>()
            ?? throw new InvalidOperationException(MissingRegistrationMessage);
        var retryAfter = ServiceUnavailable.RetryAfter(context.ApplicationServices.GetRequiredService<IOptions<SyncContextOptions>>().Value);

        if (IsLastFilter())
        {
            // Handed the handler itself: the work is exactly the handler body, which completes synchronously.
            return invocation =>
            {
                return executor.TryRunUnsafe(OffloadedCall.InvokeHandler, new OffloadedCall(next, invocation, retryAfter), invocation.HttpContext.RequestAborted, out var task)
                    ? new ValueTask<object?>(task)
                    : ValueTask.FromResult<object?>(ServiceUnavailable.Answer(invocation.HttpContext, retryAfter));
            };
        }

        // Filters added after a runtime OffloadSync() run inside the offloaded call. One that goes asynchronous
        // resumes off the executor; the worker hands its pending chain back rather than block on it.
        return invocation =>
        {
            return executor.TryRunUnsafe(OffloadedCall.InvokeChain, new OffloadedCall(next, invocation, retryAfter), invocation.HttpContext.RequestAborted, out var task)
                ? AwaitChainAsync(task)
                : ValueTask.FromResult<object?>(ServiceUnavailable.Answer(invocation.HttpContext, retryAfter));
        };
    }

    private static async ValueTask<object?> AwaitChainAsync(Task<object?> offloaded)
    {
        var result = await offloaded.ConfigureAwait(false);
        return result is PendingChain pending ? await pending.Task.ConfigureAwait(false) : result;
    }

    private bool IsLastFilter() => ReferenceEquals(_endpoint.FilterFactories[^1].Target, this);

    private bool HasLaterOffload()
    {
        var factories = _endpoint.FilterFactories;
        for (var i = factories.Count - 1; i >= 0; i--)
        {
            var target = factories[i].Target;
            if (ReferenceEquals(target, this))
            {
                return false;
            }

            if (target is OffloadFilterFactory)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one offloaded request carries to the worker: one allocation beside the task.</summary>
    private sealed class OffloadedCall(EndpointFilterDelegate next, EndpointFilterInvocationContext invocation, string retryAfter)
    {
        public static readonly Func<object?, object?> InvokeHandler = static state => ((OffloadedCall)state!).Run(handOffPending: false);

        public static readonly Func<object?, object?> InvokeChain = static state => ((OffloadedCall)state!).Run(handOffPending: true);

        private object? Run(bool handOffPending)
        {
            if (SyncExecutor.IsAbandoning)
            {
                // Still queued when the shutdown timeout ran out: the handler never runs, and the client gets
                // the same 503 as any other rejection rather than a 500 from an unhandled exception.
                return ServiceUnavailable.Answer(invocation.HttpContext, retryAfter);
            }

            using var synchronousIO = new SynchronousIOScope(invocation.HttpContext);
            var result = next(invocation);
            if (result.IsCompletedSuccessfully)
            {
                return result.Result;
            }

            return handOffPending ? new PendingChain(result.AsTask()) : result.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>An inner filter chain that went asynchronous on the worker, for the request to await.</summary>
    private sealed class PendingChain(Task<object?> task)
    {
        public Task<object?> Task { get; } = task;
    }
}
