using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SyncContext.Tests.Pages;

/// <summary>A sync handler that reads the request body synchronously, as legacy code does.</summary>
[IgnoreAntiforgeryToken]
public sealed class EchoModel : PageModel
{
    public string Body { get; private set; } = "";

    public void OnPost()
    {
        using var reader = new StreamReader(Request.Body);
        Body = reader.ReadToEnd();
    }
}
