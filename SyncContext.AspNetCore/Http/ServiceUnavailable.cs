using System.Globalization;
using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Http;

/// <summary>How a request whose work the executor rejected is answered: <c>503</c> with <c>Retry-After</c>.</summary>
internal static class ServiceUnavailable
{
    public static readonly IResult Result = Results.StatusCode(StatusCodes.Status503ServiceUnavailable);

    /// <summary>The <c>Retry-After</c> value, in whole seconds rounded up, computed once at start-up.</summary>
    public static string RetryAfter(SyncContextOptions options)
        => ((long)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
