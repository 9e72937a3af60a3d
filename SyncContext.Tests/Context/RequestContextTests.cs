using System.Security.Claims;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SyncContext.Tests.Context;

public class RequestContextTests
{
    [Fact]
    public async Task Request_context_in_an_offloaded_handler_describes_the_current_request()
    {
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.Use((ctx, next) =>
                {
                    ctx.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test"));
                    ctx.TraceIdentifier = "trace-42";
                    ctx.Items["from-middleware"] = "item";
                    return next(ctx);
                });
                app.MapPost("/orders/{id}", (string id, IRequestContext request, HttpContext http, ScopedMarker marker) => new
                {
                    request.Method,
                    request.Scheme,
                    request.Host,
                    request.PathBase,
                    request.Path,
                    request.QueryString,
                    request.TraceIdentifier,
                    User = request.User.Identity?.Name,
                    AbortedIsTheRequests = request.Aborted == http.RequestAborted,
                    Item = request.Items["from-middleware"],
                    ServicesAreTheRequestScope = ReferenceEquals(request.Services, http.RequestServices)
                        && ReferenceEquals(request.Services.GetRequiredService<ScopedMarker>(), marker),
                    Header = request.Headers["x-multi"],
                    HeaderCount = request.Headers.Count(h => h.Key.Equals("X-Multi", StringComparison.OrdinalIgnoreCase)),
                    Query = request.Query["Q"],
                    HasMissingQuery = request.Query.ContainsKey("missing"),
                    RouteId = request.RouteValues["id"],
                    Thread = Thread.CurrentThread.Name![..11],
                }).OffloadSync();
            },
            services: builder => builder.Services.AddScoped<ScopedMarker>());

        var result = await host.Scenario(_ =>
        {
            _.Post.Url("/orders/42?q=one&q=two");
            _.WithRequestHeader("X-Multi", "a");
            _.ConfigureHttpContext(ctx => ctx.Request.Headers.Append("X-Multi", "b"));
        });

        var body = await result.ReadAsJsonAsync<System.Text.Json.JsonElement>();
        body.GetProperty("method").GetString().ShouldBe("POST");
        body.GetProperty("scheme").GetString().ShouldBe("http");
        body.GetProperty("host").GetString().ShouldBe("localhost");
        body.GetProperty("pathBase").GetString().ShouldBe("");
        body.GetProperty("path").GetString().ShouldBe("/orders/42");
        body.GetProperty("queryString").GetString().ShouldBe("?q=one&q=two");
        body.GetProperty("traceIdentifier").GetString().ShouldBe("trace-42");
        body.GetProperty("user").GetString().ShouldBe("alice");
        body.GetProperty("abortedIsTheRequests").GetBoolean().ShouldBeTrue();
        body.GetProperty("item").GetString().ShouldBe("item");
        body.GetProperty("servicesAreTheRequestScope").GetBoolean().ShouldBeTrue();
        body.GetProperty("header").GetString().ShouldBe("a,b");
        body.GetProperty("headerCount").GetInt32().ShouldBe(1);
        body.GetProperty("query").GetString().ShouldBe("one,two");
        body.GetProperty("hasMissingQuery").GetBoolean().ShouldBeFalse();
        body.GetProperty("routeId").GetString().ShouldBe("42");
        body.GetProperty("thread").GetString().ShouldBe("SyncContext");
    }

    [Fact]
    public async Task Request_context_resolved_outside_a_request_throws_a_clear_error()
    {
        await using var host = await TestHosts.StartAsync(_ => { });
        using var scope = host.Services.CreateScope();

        var error = Should.Throw<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IRequestContext>());

        error.Message.ShouldContain("only available while an HTTP request is being handled");
    }

    internal sealed class ScopedMarker;
}
