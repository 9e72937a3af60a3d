using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Http;

/// <summary>
/// The one place that decides how a <see cref="WorkRejectedException"/> that escaped user code is answered:
/// <c>503</c> with <c>Retry-After</c> (through <see cref="ServiceUnavailable"/>), if the response has not
/// started. Every catcher uses it: the offloaded endpoint itself, the outermost middleware, the
/// <c>IExceptionHandler</c> for <c>UseExceptionHandler</c>, the developer exception page's filter and the
/// synchronous error handlers. Any other exception, or a rejection once the response has started, is not
/// theirs to answer and flows on unchanged.
/// </summary>
internal sealed class RejectionAnswer
{
    private readonly string _retryAfter;

    public RejectionAnswer(IOptions<SyncContextOptions> options) => _retryAfter = ServiceUnavailable.RetryAfter(options.Value);

    /// <summary>Gets whether <paramref name="exception"/> is a rejection this request can still be answered for.</summary>
    public static bool Applies(HttpContext context, Exception? exception)
        => exception is WorkRejectedException && !context.Response.HasStarted;

    /// <summary>
    /// Answers the request with <c>503</c> and <c>Retry-After</c> if <see cref="Applies"/>: the one the rejection carries
    /// (<see cref="WorkRejectedException.RetryAfter"/>: the rejecting executor's own <see cref="SyncContextOptions.RetryAfter"/>,
    /// or its longer predicted wait), or, for a rejection made elsewhere without one, the default executor's.
    /// </summary>
    /// <returns>Whether the request was answered.</returns>
    public bool TryAnswer(HttpContext context, Exception? exception)
    {
        if (!Applies(context, exception))
        {
            return false;
        }

        // A 503 without a body has no content type, whatever a result writer set before the rejection arrived.
        context.Response.ContentType = null;

        // A status-code result only sets the status, so it completes synchronously.
        var retryAfter = ((WorkRejectedException)exception!).RetryAfter is { } carried
            ? ServiceUnavailable.RetryAfter(carried)
            : _retryAfter;
        var written = ServiceUnavailable.Answer(context, retryAfter).ExecuteAsync(context);
        written.GetAwaiter().GetResult();
        return true;
    }

    /// <summary>
    /// Answers a rejection that made <paramref name="pending"/> fail; any other outcome is passed on as it is.
    /// A task that already succeeded is handed back without an await, so the common path allocates nothing.
    /// </summary>
    public Task AnswerAsync(Task pending, HttpContext context)
    {
        if (pending.IsCompletedSuccessfully)
        {
            return pending;
        }

        if (pending.IsFaulted)
        {
            // Already failed (a rejection of an offloaded handler is known at once): no throw to find out why.
            return TryAnswer(context, pending.Exception!.InnerException) ? Task.CompletedTask : pending;
        }

        return AwaitAsync(pending, context);
    }

    /// <summary>
    /// Answers a rejection that already made <paramref name="task"/> fail, without awaiting one still pending: that
    /// one, should it fail with a rejection later, is answered further out (the outermost middleware, the exception
    /// handler or the developer page).
    /// </summary>
    public Task AnswerIfFailed(Task task, HttpContext context)
        => task.IsFaulted && TryAnswer(context, task.Exception!.InnerException) ? Task.CompletedTask : task;

    private async Task AwaitAsync(Task pending, HttpContext context)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (WorkRejectedException rejected) when (Applies(context, rejected))
        {
            TryAnswer(context, rejected);
        }
    }
}
