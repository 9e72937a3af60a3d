using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;

namespace SyncContext.Tests.Pages;

/// <summary>
/// A sync <c>OnGet</c> that records where it ran and what it saw of the request; its page filters (one of the app's, one
/// ordered last, the model's own) and the view record where they ran.
/// </summary>
[RecordsPageFilterThread("filter")]
[RecordsPageFilterThread("innermost", Order = int.MaxValue)]
public sealed class WhereModel(IHttpContextAccessor accessor) : PageModel
{
    public string HandlerThread { get; private set; } = "";

    public string Executor { get; private set; } = "";

    public bool AccessorIsTheRequest { get; private set; }

    public string? RequestContextPath { get; private set; }

    public string? ModelFilter { get; private set; }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
        => ModelFilter = ThreadNames.Of(Thread.CurrentThread);

    public void OnGet()
    {
        HandlerThread = ThreadNames.Of(Thread.CurrentThread);
        Executor = ThreadNames.ExecutorOf(Thread.CurrentThread);
        AccessorIsTheRequest = ReferenceEquals(accessor.HttpContext, HttpContext);

        // Created here, on the handler's thread, from the request it finds through the accessor.
        RequestContextPath = HttpContext.RequestServices.GetRequiredService<IRequestContext>().Path;
    }
}
