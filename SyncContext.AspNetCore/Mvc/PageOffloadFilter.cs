using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace SyncContext.AspNetCore.Mvc;

/// <summary>
/// The one page filter of the app, innermost (<see cref="Order"/> <see cref="int.MaxValue"/>): on a page that
/// <c>OffloadSync()</c> marked (<see cref="PageOffload.OffloadedPage"/>), it calls the rest of the page pipeline (the
/// synchronous handler method, and any page filter ordered after it) on the executor; elsewhere it only calls it.
/// </summary>
/// <remarks>
/// A page filter with <see cref="int.MaxValue"/> as its order too, at page scope, sorts after this global one and so runs
/// on the executor, around the handler.
/// </remarks>
internal sealed class PageOffloadFilter : IAsyncPageFilter, IOrderedFilter
{
    private static readonly Func<PageHandlerExecutionDelegate, PageHandlerExecutedContext> s_callNext = static next =>
    {
        // For a synchronous handler the rest of the pipeline is the handler call itself, so it has completed here; what
        // the handler threw is in the executed context, caught by MVC.
        var pending = next();
        return pending.IsCompletedSuccessfully ? pending.Result : pending.GetAwaiter().GetResult();
    };

    /// <inheritdoc />
    public int Order => int.MaxValue;

    /// <inheritdoc />
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        => context.HandlerMethod is { } handler
           && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<PageOffload.OffloadedPage>() is { } page
           && PageOffload.RunsOnExecutor(handler, context.ActionDescriptor)
            ? MvcOffload.RunAsync(page.Runtime, context.HttpContext, s_callNext, next)
            : next();
}
