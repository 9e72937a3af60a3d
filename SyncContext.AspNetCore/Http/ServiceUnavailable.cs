using System.Globalization;
using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Http;

/// <summary>How a request whose work the executor rejected is answered: <c>503</c> with <c>Retry-After</c>.</summary>
internal static class ServiceUnavailable
{
    private static readonly IResult s_result = Results.StatusCode(StatusCodes.Status503ServiceUnavailable);

    // The header values of the waits a flood of refusals repeats, made once each.
    private static readonly string?[] s_seconds = new string?[301];

    /// <summary>The <c>Retry-After</c> value, in whole seconds rounded up, computed once at start-up.</summary>
    public static string RetryAfter(SyncContextOptions options)
        => ((long)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The <c>Retry-After</c> value of a rejection that says when to retry (<see cref="WorkRejectedException.RetryAfter"/>):
    /// that wait in whole seconds rounded up.
    /// </summary>
    public static string RetryAfter(TimeSpan retryAfter)
    {
        var seconds = Math.Max(0, (long)Math.Ceiling(Math.Min(retryAfter.TotalSeconds, int.MaxValue)));
        return seconds < s_seconds.Length
            ? s_seconds[seconds] ??= seconds.ToString(CultureInfo.InvariantCulture)
            : seconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sets <c>Retry-After</c> on the response and returns the <c>503</c> result to write.</summary>
    public static IResult Answer(HttpContext context, string retryAfter)
    {
        context.Response.Headers.RetryAfter = retryAfter;
        return s_result;
    }
}
