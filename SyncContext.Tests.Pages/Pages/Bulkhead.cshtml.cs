using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SyncContext.Tests.Pages;

/// <summary>A page model that picks its executor.</summary>
[ExecuteOn("pages")]
public sealed class BulkheadModel : PageModel
{
    public string Executor { get; private set; } = "";

    public void OnGet() => Executor = ThreadNames.ExecutorOf(Thread.CurrentThread);
}
