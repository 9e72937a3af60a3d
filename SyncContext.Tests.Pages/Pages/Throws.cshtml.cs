using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SyncContext.Tests.Pages;

/// <summary>A sync handler that throws.</summary>
public sealed class ThrowsModel : PageModel
{
    public void OnGet() => throw new InvalidOperationException("thrown by the handler");
}
