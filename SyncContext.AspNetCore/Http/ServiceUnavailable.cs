using System.Globalization;
using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Http;

/// <summary>How a request whose work the executor rejected is answered: <c>503</c> with <c>Retry-After</c>.</summary>
internal static class ServiceUnavailable
{
    private static readonly IResult s_result = Results.StatusCode(StatusCodes.Status503ServiceUnavailable);

    /// <summary>The <c>Retry-After</c> value, in whole seconds rounded up, computed once at start-up.</summary>
    public static string RetryAfter(SyncContextOptions options)
        => ((long)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Sets <c>Retry-After</c> on the response and returns the <c>503</c> result to write.</summary>
    public static IResult Answer(HttpContext context, string retryAfter)
    {
        context.Response.Headers.RetryAfter = retryAfter;
        return s_result;
    }
}
