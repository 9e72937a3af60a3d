using Microsoft.AspNetCore.Http;

namespace SyncContext.AspNetCore.Binding;

/// <summary>Writes what a hook or handler returned the way a minimal-API endpoint writes its return value.</summary>
internal static class ResultWriter
{
    public static Task WriteAsync(HttpContext context, object? result)
    {
        switch (result)
        {
            case null:
                // A void delegate: it wrote the response itself, or the status code alone is the answer.
                return Task.CompletedTask;
            case IResult httpResult:
                return httpResult.ExecuteAsync(context);
            case string text:
                context.Response.ContentType ??= "text/plain; charset=utf-8";
                return context.Response.WriteAsync(text);
            default:
                return context.Response.WriteAsJsonAsync(result, result.GetType());
        }
    }
}
