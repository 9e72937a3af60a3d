using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace SyncContext.AspNetCore.Mvc;

/// <summary>
/// The page filter of one offloaded page (<see cref="PageOffload.Mark"/>), innermost of all: on an endpoint
/// <c>OffloadSync()</c> marked, for one of the page's synchronous handlers, it calls the rest of the page pipeline, which
/// is then the handler method alone, on the endpoint's executor; for any other (an async handler, one that opted out, the
/// page mapped again without <c>OffloadSync()</c>) it only calls it.
/// </summary>
internal sealed class PageOffloadFilter(HashSet<HandlerMethodDescriptor> offloaded) : IAsyncPageFilter, IOrderedFilter
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
           && offloaded.Contains(handler)
           && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<PageOffload.OffloadedPage>() is { } page
            ? MvcOffload.RunAsync(page.Runtime, context.HttpContext, kind: handler, s_callNext, next)
            : next();
}
