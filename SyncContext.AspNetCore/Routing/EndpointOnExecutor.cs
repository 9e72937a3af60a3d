using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Http;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// Offloads an endpoint without reflection: its own request delegate, untouched, runs on the executor. This is how
/// sync handlers are offloaded in an app whose request delegates ASP.NET Core's Request Delegate Generator wrote at
/// compile time (a native AOT app), where the delegate calls the handler inline and cannot be rebuilt.
/// </summary>
/// <remarks>
/// <para>
/// Because the delegate is ASP.NET Core's own, the response is byte for byte the one without SyncContext (status,
/// headers, content type, body, binding failures). What runs on the executor is the whole delegate: binding, the
/// endpoint's filters, the handler and the start of writing the result. Its awaits resume on the executor too
/// (<see cref="ExecutorSynchronizationContext"/>).
/// </para>
/// <para>
/// For an endpoint that reads a body (one with <see cref="IAcceptsMetadata"/>), the body is read into a buffer on the
/// request thread first, asynchronously, so that binding it on the executor completes at once and the worker does not
/// hop twice; the handler then sees a seekable <see cref="HttpRequest.Body"/>.
/// </para>
/// </remarks>
internal static class EndpointOnExecutor
{
    private static readonly Func<object?, Task> s_start = static state => ((EndpointRun)state!).Start();

    private static readonly Func<object?, Task> s_begin = static state =>
    {
        // Still queued when the shutdown timeout ran out: the endpoint never runs, answered as any other rejection.
        SyncExecutor.BeginWork();
        var run = (EndpointRun)state!;
        return run.Offload.Synchronization.Start(s_start, run);
    };

    // Request delegates made here, so that an endpoint is never wrapped twice (OffloadSync() and the automatic policy).
    private static readonly ConditionalWeakTable<RequestDelegate, object> s_wrapped = [];

    /// <summary>Whether <paramref name="requestDelegate"/> already runs on the executor.</summary>
    public static bool IsWrapped(RequestDelegate? requestDelegate) => requestDelegate is not null && s_wrapped.TryGetValue(requestDelegate, out _);

    /// <summary>The endpoint's delegate, run on the executor; a rejection is answered with 503 and <c>Retry-After</c>.</summary>
    public static RequestDelegate Wrap(RequestDelegate inner, OffloadRuntime runtime, IEnumerable<object> endpointMetadata)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (IsWrapped(inner))
        {
            return inner;
        }

        var offload = new Offload(inner, runtime, new ExecutorSynchronizationContext(runtime.Executor), endpointMetadata.OfType<IAcceptsMetadata>().Any());
        RequestDelegate wrapped = context => runtime.Rejections.AnswerAsync(offload.RunAsync(context), context);
        s_wrapped.AddOrUpdate(wrapped, s_wrapped);
        return wrapped;
    }

    private static bool HasBody(HttpRequest request)
        => request.ContentLength > 0
           || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    private sealed record Offload(RequestDelegate Inner, OffloadRuntime Runtime, ExecutorSynchronizationContext Synchronization, bool ReadsBody)
    {
        public Task RunAsync(HttpContext context)
            => ReadsBody && HasBody(context.Request) ? BufferThenRunAsync(context) : Queue(context);

        private async Task BufferThenRunAsync(HttpContext context)
        {
            var request = context.Request;
            request.EnableBuffering();
            await request.Body.DrainAsync(context.RequestAborted).ConfigureAwait(false);
            request.Body.Position = 0;
            await Queue(context).ConfigureAwait(false);
        }

        private Task Queue(HttpContext context)
        {
            return Runtime.Executor.TryRunUnsafe(s_begin, new EndpointRun(this, context), context.RequestAborted, out var started)
                ? started.Unwrap()
                : Runtime.Executor.RefusedTask;
        }
    }

    /// <summary>One request through the endpoint, as it travels to the worker.</summary>
    private sealed record EndpointRun(Offload Offload, HttpContext Context) : IKeyedWork
    {
        /// <summary>Gets the endpoint, so that the executor learns whether its work is CPU-bound per endpoint.</summary>
        public object WorkKey => Offload;

        /// <summary>Gets the endpoint's route template, for <c>http.route</c>.</summary>
        public string? Route => Offload.Runtime.Route;

        public Task Start()
        {
            var synchronousIO = Offload.Runtime.AllowSynchronousIO ? new SynchronousIOScope(Context) : default;
            Task running;
            try
            {
                running = Offload.Inner(Context);
            }
            catch
            {
                synchronousIO.Dispose();
                throw;
            }

            if (running.IsCompleted)
            {
                synchronousIO.Dispose();
                return running;
            }

            return EndAsync(running, synchronousIO);
        }

        private static async Task EndAsync(Task running, SynchronousIOScope synchronousIO)
        {
            try
            {
                await running.ConfigureAwait(false);
            }
            finally
            {
                synchronousIO.Dispose();
            }
        }
    }
}
