using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SyncContext.AspNetCore.Binding;

/// <summary>Writes what a hook or handler returned the way a minimal-API endpoint writes its return value.</summary>
internal static class ResultWriter
{
    // What WriteAsJsonAsync falls back to with no request services: ASP.NET Core's defaults.
    private static readonly System.Text.Json.JsonSerializerOptions s_defaultOptions = new JsonOptions().SerializerOptions;

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
                // Through the app's own JSON options, as a minimal-API endpoint writes: a source-generated context in an
                // AOT app, reflection where it is enabled. No reflection of its own, so it is the same in a native build.
                var options = context.RequestServices?.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? s_defaultOptions;
                return context.Response.WriteAsJsonAsync(result, options.GetTypeInfo(result.GetType()));
        }
    }
}
