using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace SyncContext.AspNetCore.Http;

/// <summary>
/// Puts <see cref="RejectionAnswer"/> in front of the whole pipeline, so an app without exception handling
/// answers a rejection that escaped a middleware or an async handler (<c>await runSync.RunAsync(...)</c>) with
/// <c>503</c> rather than the server's <c>500</c>. Apps with <c>UseExceptionHandler</c> or the developer
/// exception page answer it there first, through the same <see cref="RejectionAnswer"/>.
/// </summary>
internal sealed class RejectionAnswerStartupFilter(RejectionAnswer answer) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(rest => context => answer.AnswerAsync(rest(context), context));
        next(app);
    };
}
