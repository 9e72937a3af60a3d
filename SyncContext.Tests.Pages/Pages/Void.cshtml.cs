using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SyncContext.Tests.Pages;

/// <summary>A void sync <c>OnPost</c>, and no <c>OnGet</c>: a GET is a page without a handler.</summary>
[IgnoreAntiforgeryToken]
public sealed class VoidModel : PageModel
{
    public void OnPost() => Response.Headers["X-Handler"] = ThreadNames.Of(Thread.CurrentThread);
}
