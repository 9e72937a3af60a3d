using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Mvc;

/// <summary>Where the code of an action ran, as the tests read it back.</summary>
public sealed record Where(string Thread, bool AccessorIsTheRequest, bool FilterRanOnThePool);

public sealed class Order
{
    [Required]
    public string? Item { get; set; }

    [Range(1, 10)]
    public int Quantity { get; set; }
}

[ApiController]
[Route("mvc")]
public sealed class SyncController(IHttpContextAccessor accessor) : ControllerBase
{
    [HttpGet("where")]
    [RecordsFilterThread]
    public Where WhereAmI() => new(
        ThreadNames.Of(Thread.CurrentThread),
        ReferenceEquals(accessor.HttpContext, HttpContext),
        HttpContext.Items[RecordsFilterThreadAttribute.Key] is true);

    [HttpGet("where-async")]
    public async Task<string> WhereAmIAsync()
    {
        await Task.Yield();
        return ThreadNames.Of(Thread.CurrentThread);
    }

    [HttpGet("orders/{id:int}")]
    public ActionResult<Order> Get(int id, [FromQuery] int quantity)
        => id == 0 ? NotFound() : new Order { Item = $"item {id}", Quantity = quantity };

    [HttpPost("orders")]
    public IActionResult Create(Order order) => CreatedAtAction(nameof(Get), new { id = 7 }, order);

    [HttpGet("void")]
    public void Nothing() => HttpContext.Response.Headers["X-Void"] = ThreadNames.Of(Thread.CurrentThread);

    [HttpGet("throws")]
    public string Throws() => throw new InvalidOperationException("thrown by the action");

    [HttpGet("opted-out")]
    [DisableOffloadSync]
    public string OptedOut() => ThreadNames.Of(Thread.CurrentThread);
}

/// <summary>A controller whose actions all stay on the request thread, whatever offloads the others.</summary>
[ApiController]
[Route("mvc-inline")]
[DisableOffloadSync]
public sealed class InlineController : ControllerBase
{
    [HttpGet("where")]
    public string WhereAmI() => ThreadNames.Of(Thread.CurrentThread);
}

/// <summary>Records whether an MVC action filter ran on a thread-pool thread: only the action method moves.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RecordsFilterThreadAttribute : ActionFilterAttribute
{
    public const string Key = "filter-on-pool";

    public override void OnActionExecuting(ActionExecutingContext context)
        => context.HttpContext.Items[Key] = Thread.CurrentThread.IsThreadPoolThread;
}

internal static class ThreadNames
{
    public static string Of(Thread thread)
        => thread.Name is { } name && name.StartsWith("SyncContext #", StringComparison.Ordinal) ? "SyncContext" : thread.IsThreadPoolThread ? "pool" : "other";
}
