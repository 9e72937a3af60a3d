using Microsoft.AspNetCore.Mvc.Filters;

namespace SyncContext.Tests.Pages;

/// <summary>A page filter of the app's own, on a page model: it records where it ran before the handler, under its key.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class RecordsPageFilterThreadAttribute(string key) : Attribute, IPageFilter, IOrderedFilter
{
    public string Key { get; } = key;

    public int Order { get; set; }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
        => context.HttpContext.Items[Key] = ThreadNames.Of(Thread.CurrentThread);

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
        => context.HttpContext.Items[Key + " after"] = ThreadNames.Of(Thread.CurrentThread);
}
