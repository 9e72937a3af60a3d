using Microsoft.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Http;

/// <summary>
/// In Development, answers a rejection with <c>503</c> and <c>Retry-After</c> through <see cref="RejectionAnswer"/>
/// instead of the developer exception page's 500: a full queue is load, not a bug to debug. Every other
/// exception goes on to the page.
/// </summary>
internal sealed class RejectionDeveloperPageFilter(RejectionAnswer answer) : IDeveloperPageExceptionFilter
{
    public Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
        => answer.TryAnswer(errorContext.HttpContext, errorContext.Exception) ? Task.CompletedTask : next(errorContext);
}
