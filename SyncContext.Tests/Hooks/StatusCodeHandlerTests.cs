using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using System.Net;

namespace SyncContext.Tests.Hooks;

public class StatusCodeHandlerTests
{
    [Fact]
    public async Task Handler_for_a_code_answers_a_bodyless_response_on_a_SyncContext_thread_with_the_request()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseStatusCodeHandler(404, (int statusCode, IRequestContext request) => $"{statusCode} {request.Path} on {Thread.CurrentThread.Name}");
            app.MapGet("/missing", () => Results.NotFound());
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/missing");
            _.StatusCodeShouldBe(404);
            _.ContentTypeShouldBe("text/plain; charset=utf-8");
        });

        result.ReadAsText().ShouldMatch(@"^404 /missing on SyncContext #\d+$");
    }

    [Fact]
    public async Task Unrouted_request_gets_the_404_handler()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseStatusCodeHandler(404, (HttpRequest request) => Results.Json(new { missing = request.Path.Value }, statusCode: 404));
            app.MapGet("/", () => "root");
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/nowhere");
            _.StatusCodeShouldBe(404);
            _.ContentShouldBe("""{"missing":"/nowhere"}""");
        });
    }

    [Fact]
    public async Task Catch_all_answers_other_codes_and_a_specific_handler_wins_for_its_own()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseStatusCodeHandler((HttpStatusCode status) => $"catch-all {(int)status}");
            app.UseStatusCodeHandler(404, () => "specific 404");
            app.MapGet("/code/{code:int}", (int code) => Results.StatusCode(code));
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/code/404");
            _.StatusCodeShouldBe(404);
            _.ContentShouldBe("specific 404");
        });
        await host.Scenario(_ =>
        {
            _.Get.Url("/code/503");
            _.StatusCodeShouldBe(503);
            _.ContentShouldBe("catch-all 503");
        });
    }

    [Theory]
    [InlineData("/body", 404, "own body")]
    [InlineData("/ok", 200, "fine")]
    [InlineData("/redirect", 302, "")]
    [InlineData("/opted-out", 404, "")]
    [InlineData("/skipped", 404, "")]
    public async Task Handler_leaves_responses_StatusCodePages_would_leave(string path, int status, string body)
    {
        var ran = false;
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseStatusCodeHandler((int statusCode) =>
            {
                ran = true;
                return "handled";
            });
            app.MapGet("/body", () => Results.NotFound("own body"));
            app.MapGet("/ok", () => "fine");
            app.MapGet("/redirect", () => Results.StatusCode(302));
            app.MapGet("/opted-out", (HttpContext context) =>
            {
                context.Features.Get<IStatusCodePagesFeature>()!.Enabled = false;
                return Results.NotFound();
            });
            app.MapGet("/skipped", [Microsoft.AspNetCore.Mvc.SkipStatusCodePages] () => Results.NotFound());
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url(path);
            _.StatusCodeShouldBe(status);
        });

        result.ReadAsText().Trim('"').ShouldBe(body);
        ran.ShouldBeFalse();
    }

    [Fact]
    public async Task Async_handler_runs_where_it_is_called()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseStatusCodeHandler(404, Task<string> () => Task.FromResult(Thread.CurrentThread.Name ?? "pool"));
            app.MapGet("/missing", () => Results.NotFound());
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/missing");
            _.StatusCodeShouldBe(404);
        });

        result.ReadAsText().ShouldNotStartWith("SyncContext");
    }

    [Fact]
    public async Task Handler_that_throws_goes_to_the_error_handler()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseExceptionHandler((InvalidOperationException ex) => "handled: " + ex.Message);
            app.UseStatusCodeHandler(404, string () => throw new InvalidOperationException("404 handler failed"));
            app.MapGet("/missing", () => Results.NotFound());
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/missing");
            _.StatusCodeShouldBe(500);
            _.ContentShouldBe("handled: 404 handler failed");
        });
    }

    [Fact]
    public async Task Out_of_range_duplicate_and_unbindable_handlers_fail_at_start_up()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            Should.Throw<ArgumentOutOfRangeException>(() => app.UseStatusCodeHandler(302, () => "x"));
            app.UseStatusCodeHandler(404, () => "x");
            Should.Throw<InvalidOperationException>(() => app.UseStatusCodeHandler(404, () => "y")).Message.ShouldContain("404");
            Should.Throw<InvalidOperationException>(() => app.UseStatusCodeHandler((string name) => name)).Message.ShouldContain("'name'");
        });
    }
}
