using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncContext.Tests.Context;

public class ContextFlowTests
{
    private static readonly AsyncLocal<string?> s_fromMiddleware = new();

    [Fact]
    public async Task Async_local_set_by_middleware_is_visible_in_the_offloaded_handler()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.Use((ctx, next) =>
            {
                s_fromMiddleware.Value = ctx.Request.Query["v"];
                return next(ctx);
            });
            app.MapGet("/local", () => $"{Thread.CurrentThread.Name![..11]}:{s_fromMiddleware.Value}").OffloadSync();
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/local?v=from-middleware");
            _.ContentShouldBe("SyncContext:from-middleware");
        });
    }

    [Fact]
    public async Task HttpContextAccessor_returns_the_requests_own_context()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.Use((ctx, next) =>
            {
                ctx.Items["marker"] = ctx.Request.Query["m"].ToString();
                return next(ctx);
            });
            app.MapGet("/accessor", (HttpContext http, IHttpContextAccessor accessor) =>
                    $"{ReferenceEquals(accessor.HttpContext, http)}:{accessor.HttpContext?.Items["marker"]}")
                .OffloadSync();
        });

        (await host.GetAsText("/accessor?m=abc")).ShouldBe("True:abc");
    }

    [Fact]
    public async Task Activity_started_in_middleware_is_current_in_the_offloaded_handler()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.Use(async (ctx, next) =>
            {
                using var activity = new Activity("from-middleware").Start();
                ctx.Items["activity-id"] = activity.Id;
                await next(ctx);
            });
            app.MapGet("/activity", (HttpContext http) =>
                    $"{Activity.Current?.OperationName}|{Activity.Current?.Id == (string?)http.Items["activity-id"]}|{Thread.CurrentThread.Name![..11]}")
                .OffloadSync();
        });

        (await host.GetAsText("/activity")).ShouldBe("from-middleware|True|SyncContext");
    }

    [Fact]
    public async Task Culture_set_by_middleware_flows_into_the_offloaded_handler()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.Use((ctx, next) =>
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(ctx.Request.Query["c"].ToString());
                return next(ctx);
            });
            app.MapGet("/culture", () => $"{CultureInfo.CurrentCulture.Name}|{1234.5.ToString("N1", CultureInfo.CurrentCulture)}").OffloadSync();
        });

        (await host.GetAsText("/culture?c=de-DE")).ShouldBe("de-DE|1.234,5");
        (await host.GetAsText("/culture?c=en-US")).ShouldBe("en-US|1,234.5");
    }

    [Fact]
    public async Task Logger_scopes_begun_in_middleware_are_active_in_the_offloaded_handler()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("middleware");
                app.Use(async (ctx, next) =>
                {
                    using (logger.BeginScope("request {Tag}", ctx.Request.Query["tag"].ToString()))
                    {
                        await next(ctx);
                    }
                });
                app.MapGet("/log", (ILogger<ContextFlowTests> log) => log.LogInformation("in handler")).OffloadSync();
            },
            services: builder => builder.Logging.AddProvider(logs));

        await host.Scenario(_ => _.Get.Url("/log?tag=t-1"));

        var entry = logs.Entries.Single(e => e.Message == "in handler");
        entry.Scopes.ShouldContain("request t-1");
        entry.Thread.ShouldNotBeNull().ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Thousands_of_concurrent_requests_each_see_only_their_own_user_trace_and_context()
    {
        const int Requests = 2000;
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                // A tiny authentication: the user and the trace id come from headers.
                app.Use((ctx, next) =>
                {
                    var user = ctx.Request.Headers["X-User"].ToString();
                    ctx.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "header"));
                    ctx.TraceIdentifier = ctx.Request.Headers["X-Trace"].ToString();
                    s_fromMiddleware.Value = user;
                    return next(ctx);
                });
                app.MapGet("/who", (IRequestContext request, IHttpContextAccessor accessor) =>
                {
                    // Block briefly, as real sync handlers do, so requests overlap and several workers serve them.
                    Thread.Sleep(1);
                    var http = accessor.HttpContext!;
                    return new Seen(
                        request.User.Identity?.Name,
                        request.TraceIdentifier,
                        http.User.Identity?.Name,
                        http.TraceIdentifier,
                        s_fromMiddleware.Value,
                        Thread.CurrentThread.Name);
                }).OffloadSync();
            },
            options: o =>
            {
                o.MaxThreads = 8;
                o.QueueLimit = Requests;
            });
        using var client = host.Server.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/who");
            request.Headers.Add("X-User", $"user-{i}");
            request.Headers.Add("X-Trace", $"trace-{i}");
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (i, seen: (await response.Content.ReadFromJsonAsync<Seen>())!);
        })).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var (i, seen) in responses)
        {
            seen.ShouldBe(new Seen($"user-{i}", $"trace-{i}", $"user-{i}", $"trace-{i}", $"user-{i}", seen.Thread));
            seen.Thread.ShouldNotBeNull().ShouldStartWith("SyncContext #");
        }

        responses.Select(r => r.seen.Thread).Distinct().Count().ShouldBeGreaterThan(1);
    }

    private sealed record Seen(string? RequestUser, string? RequestTrace, string? AccessorUser, string? AccessorTrace, string? AsyncLocal, string? Thread);
}
