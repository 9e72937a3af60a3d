using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SyncContext.Tests.Pages;

/// <summary>An async handler: left where it is.</summary>
public sealed class WhereAsyncModel : PageModel
{
    public string HandlerThread { get; private set; } = "";

    public async Task OnGetAsync()
    {
        HandlerThread = ThreadNames.Of(Thread.CurrentThread);
        await Task.Yield();
    }
}
