using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Http;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.ErrorHandling;

/// <summary>
/// Catches <typeparamref name="TException"/> from the rest of the pipeline and answers the request with a
/// synchronous error handler run on the executor, as ASP.NET Core's exception handler answers it with an
/// error pipeline.
/// </summary>
/// <remarks>
/// This is our own middleware rather than ASP.NET Core's <c>ExceptionHandlerMiddleware</c> fed through
/// <c>ExceptionHandlerOptions.ExceptionHandler</c>: that one catches every exception and logs each as
/// unhandled before it could decline it, so a handler for one exception type would log, then rethrow, every
/// other one. The exception filter here leaves other exceptions untouched, stack and all, for whatever sits
/// further out (another handler, the developer exception page, the server). The handling itself follows
/// ASP.NET Core's: the same log events, features, status code and cache headers; the handler runs in the
/// failed request rather than re-executing the pipeline, so the endpoint and route values stay set.
/// </remarks>
/// <typeparam name="TException">The exceptions this handler answers.</typeparam>
internal sealed class SyncExceptionHandlerMiddleware<TException>
    where TException : Exception
{
    private static readonly Func<object, Task> s_clearCacheHeaders = ClearCacheHeaders;

    private readonly RequestDelegate _next;
    private readonly Func<HttpContext, TException, object?> _invoke;
    private readonly SyncExecutor _executor;
    private readonly ILogger _logger;
    private readonly RejectionAnswer _rejections;
    private readonly ExceptionHandlerMetrics _metrics;
    private readonly bool _allowSynchronousIO;

    public SyncExceptionHandlerMiddleware(RequestDelegate next, Func<HttpContext, TException, object?> invoke, SyncExecutor executor, ILogger logger, RejectionAnswer rejections, ExceptionHandlerMetrics metrics, bool allowSynchronousIO)
    {
        _metrics = metrics;
        _next = next;
        _invoke = invoke;
        _executor = executor;
        _logger = logger;
        _rejections = rejections;
        _allowSynchronousIO = allowSynchronousIO;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TException)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                // Nobody is left to read an error response; ASP.NET Core's handler ends such requests quietly too.
                Log.ErrorHandlerRequestAborted(_logger);
                _metrics.Caught(exception, ExceptionResult.Aborted);
                return;
            }

            if (_rejections.TryAnswer(context, exception))
            {
                // A full queue is load, not an error for the app's handler: answered as every rejection is.
                _metrics.Caught(exception, ExceptionResult.Handled);
                return;
            }

            if (context.Response.HasStarted)
            {
                // Headers are gone, so there is nothing an error handler could still say.
                Log.ErrorHandlerResponseStarted(_logger);
                _metrics.Caught(exception, ExceptionResult.Skipped);
                throw;
            }

            var result = await TryHandleAsync(context, (TException)exception).ConfigureAwait(false);
            _metrics.Caught(exception, result);
            if (result != ExceptionResult.Handled)
            {
                throw;
            }
        }
    }

    /// <summary>Answers the request with the handler, and says how it went.</summary>
    private async Task<ExceptionResult> TryHandleAsync(HttpContext context, TException exception)
    {
        Log.UnhandledException(_logger, exception);

        var feature = new ExceptionHandlerFeature
        {
            Error = exception,
            Path = context.Request.Path.Value ?? string.Empty,
            Endpoint = context.GetEndpoint(),
            RouteValues = context.Features.Get<IRouteValuesFeature>()?.RouteValues,
        };

        var response = context.Response;
        response.Clear();
        context.Features.Set<IExceptionHandlerFeature>(feature);
        context.Features.Set<IExceptionHandlerPathFeature>(feature);
        response.StatusCode = StatusCodes.Status500InternalServerError;
        response.OnStarting(s_clearCacheHeaders, response);

        try
        {
            var admission = _executor.AdmitOperation(context.RequestAborted);
            var task = admission.Mode == AdmissionMode.Rejected
                ? _executor.RefusedOperation<object?>(admission)
                : _executor.DispatchOperation(new HandlerCall(this, context, exception), admission, context.RequestAborted);
            if (task is null)
            {
                // The executor already logged the rejection; answer as an offloaded endpoint would.
                _rejections.TryAnswer(context, _executor.Refusal);
                return ExceptionResult.Handled;
            }

            var result = await task.ConfigureAwait(false);
            await ResultWriter.WriteAsync(context, result).ConfigureAwait(false);
            return ExceptionResult.Handled;
        }
        catch (WorkRejectedException rejected) when (RejectionAnswer.Applies(context, rejected))
        {
            // Refused for its wait, or flushed at shutdown, after it was queued: answered as every rejection is.
            _rejections.TryAnswer(context, rejected);
            return ExceptionResult.Handled;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ErrorHandlerRequestAborted(_logger);
            return ExceptionResult.Aborted;
        }
        catch (Exception handlerException)
        {
            // The original exception is the one worth reporting further out; this one is only logged.
            Log.ErrorHandlerException(_logger, handlerException);
            return ExceptionResult.Unhandled;
        }
    }

    private static Task ClearCacheHeaders(object state)
    {
        // An error response describes this one failure: no cache should keep it.
        var headers = ((HttpResponse)state).Headers;
        headers.CacheControl = "no-cache,no-store";
        headers.Pragma = "no-cache";
        headers.Expires = "-1";
        headers.ETag = default;
        return Task.CompletedTask;
    }

    /// <summary>What one failed request carries to the worker, in the one object it allocates: its task.</summary>
    private sealed class HandlerCall(SyncExceptionHandlerMiddleware<TException> owner, HttpContext context, TException exception) : ExecutorItem<object?>(owner)
    {
        protected override object? Run()
        {
            var mark = SyncExecutor.BeginOperationWork(context);
            try
            {
                using var synchronousIO = owner._allowSynchronousIO ? new SynchronousIOScope(context) : default;
                return owner._invoke(context, exception);
            }
            finally
            {
                mark.End();
            }
        }
    }
}
