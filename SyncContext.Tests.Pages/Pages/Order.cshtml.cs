using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SyncContext.Tests.Pages;

public sealed class OrderForm
{
    [Required]
    public string? Item { get; set; }

    [Range(1, 10)]
    public int Quantity { get; set; }
}

/// <summary>Binding of handler arguments and <c>[BindProperty]</c> properties, with validation, read back by the view.</summary>
[IgnoreAntiforgeryToken]
public sealed class OrderModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    [Range(1, 10)]
    public int Quantity { get; set; }

    [BindProperty]
    public OrderForm? Form { get; set; }

    public int Id { get; private set; }

    public string? Note { get; private set; }

    public IActionResult OnGet(int id, string? note)
    {
        Id = id;
        Note = note;
        return id == 0 ? NotFound() : Page();
    }

    public IActionResult OnPost(int id)
    {
        Id = id;
        return ModelState.IsValid ? RedirectToPage(new { id, quantity = Form!.Quantity }) : Page();
    }
}
