using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncContext.Tests.Routing;

[Collection(TimingCollection.Name)] // a race test: on an idle machine, as the benchmark that found it
public class OffloadedStringHandlerRaceTests
{
    [Fact]
    public async Task Sequential_requests_to_an_offloaded_string_handler_never_race_on_the_responses_feature_cache()
    {
        // RDF's Task<string> writer set the content type while the worker ran the call: with the response's feature
        // cache left empty, the two threads filled it at once and one saw null (NullReferenceException in
        // Response.Headers or HasStarted), in 5 of 13 runs of this loop before the first fix: it can pass without a fix.
        // Now the wrapper of a string handler writes the text itself after the call, so nothing but the worker touches
        // the response while the handler runs (the fidelity shapes special/httpcontext-reads-content-type and
        // special/httpcontext-clears-headers show it deterministically).
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        await using var app = builder.Build();
        app.MapGet("/offloaded", static () => "ok").OffloadSync();
        var handler = ((IEndpointRouteBuilder)app).DataSources.SelectMany(static s => s.Endpoints).OfType<RouteEndpoint>()
            .Single(static e => e.RoutePattern.RawText == "/offloaded").RequestDelegate!;
        var accessor = app.Services.GetRequiredService<IHttpContextAccessor>();
        using var aborted = new CancellationTokenSource();
        await Task.Yield(); // requests start on the pool

        var failures = new List<string>();
        for (var i = 0; i < 300_000 && failures.Count < 3; i++)
        {
            // A fresh context per request, its features not yet cached, with a cancellable RequestAborted, as Kestrel's.
            var context = new DefaultHttpContext { RequestServices = app.Services, RequestAborted = aborted.Token };
            accessor.HttpContext = context;
            try
            {
                await handler(context);
                if (context.Response.StatusCode != StatusCodes.Status200OK)
                {
                    failures.Add($"request {i}: {context.Response.StatusCode}");
                }
            }
            catch (Exception error)
            {
                failures.Add($"request {i}: {error}");
            }
            finally
            {
                accessor.HttpContext = null;
            }
        }

        failures.ShouldBeEmpty();
    }
}
