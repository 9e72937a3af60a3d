using Microsoft.AspNetCore.Mvc.RazorPages;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Pages;

/// <summary>A sync handler that opts out of the offload; the page's other handler does not.</summary>
public sealed class OptedOutModel : PageModel
{
    public string HandlerThread { get; private set; } = "";

    [DisableOffloadSync]
    public void OnGet() => HandlerThread = ThreadNames.Of(Thread.CurrentThread);

    public void OnGetOther() => HandlerThread = ThreadNames.Of(Thread.CurrentThread);
}
