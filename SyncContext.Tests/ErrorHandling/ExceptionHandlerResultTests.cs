using System.Text.RegularExpressions;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static SyncContext.Tests.ErrorHandling.ErrorHandlingTestHost;

namespace SyncContext.Tests.ErrorHandling;

/// <summary>What an error handler returns is written as the same value returned by a minimal-API endpoint.</summary>
public class ExceptionHandlerResultTests
{
    [Theory]
    [InlineData("text", 500, "text/plain; charset=utf-8", "hello")]
    [InlineData("json", 500, "application/json; charset=utf-8", """{"name":"widget","count":2}""")]
    [InlineData("ok", 200, "application/json; charset=utf-8", """{"name":"widget","count":2}""")]
    [InlineData("problem", 418, "application/problem+json", "\"status\":418,\"detail\":\"went wrong\"")]
    public async Task Return_value_is_written_as_a_minimal_API_endpoint_writes_it(string kind, int status, string contentType, string body)
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((KindException ex) => ValueOf(ex.Kind));
            app.MapGet("/fail/{kind}", (string kind) => ThrowFromEndpoint(new KindException(kind)));
            app.MapGet("/endpoint/{kind}", (string kind) => ValueOf(kind));
        });

        var handled = await host.Scenario(_ =>
        {
            _.Get.Url($"/fail/{kind}");
            _.StatusCodeShouldBe(status);
            _.ContentTypeShouldBe(contentType);
        });
        var endpoint = await host.Scenario(_ =>
        {
            _.Get.Url($"/endpoint/{kind}");
            _.IgnoreStatusCode();
            _.ContentTypeShouldBe(contentType);
        });

        var handledBody = WithoutTraceId(handled.ReadAsText());
        handledBody.ShouldContain(body);
        handledBody.ShouldBe(WithoutTraceId(endpoint.ReadAsText()));
    }

    [Fact]
    public async Task Object_is_written_as_JSON_of_its_runtime_type()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler(Shape (Exception ex) => new Circle("circle", 2.5));
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.ContentTypeShouldBe("application/json; charset=utf-8");
            _.ContentShouldBe("""{"radius":2.5,"name":"circle"}""");
        });
    }

    [Fact]
    public async Task Void_handler_leaves_status_500_and_an_empty_body()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((Exception ex, HttpContext context) => { context.Response.Headers["X-Handled"] = "yes"; });
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.Header("X-Handled").SingleValueShouldEqual("yes");
        });

        result.Context.Response.ContentType.ShouldBeNull();
        result.ReadAsText().ShouldBeEmpty();
    }

    [Fact]
    public async Task Void_handler_may_set_the_status_code()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((KeyNotFoundException ex, HttpContext context) => { context.Response.StatusCode = StatusCodes.Status404NotFound; });
            app.MapGet("/boom", () => ThrowFromEndpoint(new KeyNotFoundException("missing")));
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(404);
        });
    }

    // Problem details carry the request's trace id, which differs between the two requests.
    private static string WithoutTraceId(string body) => Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    private static object? ValueOf(string kind) => kind switch
    {
        "text" => "hello",
        "json" => new Widget("widget", 2),
        "ok" => TypedResults.Ok(new Widget("widget", 2)),
        "problem" => TypedResults.Problem("went wrong", statusCode: StatusCodes.Status418ImATeapot),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind."),
    };

    private sealed class KindException(string kind) : Exception($"fail as {kind}")
    {
        public string Kind { get; } = kind;
    }

    private sealed record Widget(string Name, int Count);

    private record Shape(string Name);

    private sealed record Circle(string Name, double Radius) : Shape(Name);
}
