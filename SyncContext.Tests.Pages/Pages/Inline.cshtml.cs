using Microsoft.AspNetCore.Mvc.RazorPages;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Pages;

/// <summary>A page model whose handlers all stay on the request thread.</summary>
[DisableOffloadSync]
public sealed class InlineModel : PageModel
{
    public string HandlerThread { get; private set; } = "";

    public void OnGet() => HandlerThread = ThreadNames.Of(Thread.CurrentThread);
}
