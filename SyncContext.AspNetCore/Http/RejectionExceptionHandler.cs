using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SyncContext.AspNetCore.Http;

/// <summary>
/// Lets ASP.NET Core's <c>UseExceptionHandler</c> answer a rejection with <c>503</c> and <c>Retry-After</c> through
/// <see cref="RejectionAnswer"/>. It declines every other exception, which the middleware then handles as it
/// would without SyncContext.
/// </summary>
internal sealed class RejectionExceptionHandler(RejectionAnswer answer) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        => ValueTask.FromResult(answer.TryAnswer(httpContext, exception));
}
