using System.Text.RegularExpressions;
using Alba;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SyncContext.Tests.Routing;

/// <summary>An endpoint with OffloadSync looks and answers exactly as it does without it.</summary>
public partial class FidelityTests
{
    private static Task<IAlbaHost> StartAsync(bool offload) => TestHosts.StartAsync(
        app =>
        {
            app.MapOpenApi();
            var api = app.MapGroup("/api").WithTags("api");
            api.MapGet("/items/{id}", (int id, string? filter) => new Item(id, filter ?? "none"))
                .WithName("GetItem").WithTags("items").Produces<Item>().OffloadSyncIf(offload);
            api.MapPost("/items", (Item item) => TypedResults.Created($"/api/items/{item.Id}", item))
                .WithName("CreateItem").OffloadSyncIf(offload);
            api.MapGet("/secret", Secret).WithName("Secret").OffloadSyncIf(offload);
            api.MapGet("/void", () => { }).OffloadSyncIf(offload);
            api.MapGet("/string", () => "plain text").OffloadSyncIf(offload);
            api.MapGet("/poco", () => new Item(1, "poco")).OffloadSyncIf(offload);
            api.MapGet("/ok", () => Results.Ok(new Item(2, "ok"))).OffloadSyncIf(offload);
            api.MapGet("/problem", () => Results.Problem("it went wrong", statusCode: 409)).OffloadSyncIf(offload);
            api.MapGet("/union/{id}", Results<Ok<Item>, NotFound> (int id) => id > 0 ? TypedResults.Ok(new Item(id, "found")) : TypedResults.NotFound())
                .OffloadSyncIf(offload);
            api.MapGet("/where", () => Thread.CurrentThread.Name ?? "pool").OffloadSyncIf(offload);
        },
        services: builder => builder.Services.AddOpenApi());

    [Authorize]
    private static string Secret() => "secret";

    [Fact]
    public async Task Offload_is_really_applied_in_the_offloaded_app()
    {
        await using var offloaded = await StartAsync(offload: true);
        await using var plain = await StartAsync(offload: false);

        (await offloaded.GetAsText("/api/where")).ShouldStartWith("SyncContext #");
        (await plain.GetAsText("/api/where")).ShouldNotStartWith("SyncContext");
    }

    [Fact]
    public async Task OpenApi_document_is_byte_identical_with_and_without_OffloadSync()
    {
        await using var offloaded = await StartAsync(offload: true);
        await using var plain = await StartAsync(offload: false);

        var withOffload = await offloaded.GetAsText("/openapi/v1.json");
        var without = await plain.GetAsText("/openapi/v1.json");

        without.ShouldContain("\"operationId\": \"GetItem\"");
        without.ShouldContain("\"name\": \"filter\"");
        without.ShouldContain("\"requestBody\"");
        withOffload.ShouldBe(without);
    }

    [Fact]
    public async Task Endpoint_metadata_is_the_same_with_and_without_OffloadSync()
    {
        await using var offloaded = await StartAsync(offload: true);
        await using var plain = await StartAsync(offload: false);

        var withOffload = DescribeEndpoints(offloaded);
        var without = DescribeEndpoints(plain);

        without.ShouldContain(line => line.Contains("AuthorizeAttribute", StringComparison.Ordinal));
        withOffload.ShouldBe(without);
    }

    private static List<string> DescribeEndpoints(IAlbaHost host)
        => host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OrderBy(e => e.DisplayName, StringComparer.Ordinal)
            .Select(e => $"{e.DisplayName}: {string.Join(", ", e.Metadata.Select(m => m.GetType().FullName))}")
            .ToList();

    [Theory]
    [InlineData("GET", "/api/void")]
    [InlineData("GET", "/api/string")]
    [InlineData("GET", "/api/poco")]
    [InlineData("GET", "/api/ok")]
    [InlineData("GET", "/api/problem")]
    [InlineData("GET", "/api/union/5")]
    [InlineData("GET", "/api/union/0")]
    [InlineData("GET", "/api/items/3?filter=red")]
    [InlineData("POST", "/api/items")]
    public async Task Response_is_identical_with_and_without_OffloadSync(string method, string url)
    {
        await using var offloaded = await StartAsync(offload: true);
        await using var plain = await StartAsync(offload: false);

        void Request(Scenario _)
        {
            if (method == "POST")
            {
                _.Post.Json(new Item(9, "posted")).ToUrl(url);
            }
            else
            {
                _.Get.Url(url);
            }
        }

        var withOffload = await Observed.OfAsync(offloaded, Request);
        var without = await Observed.OfAsync(plain, Request);

        // Problem details carry the request's own trace id, which differs between any two requests.
        (withOffload with { Body = ScrubTraceId(withOffload.Body) }).ShouldBe(without with { Body = ScrubTraceId(without.Body) });
    }

    private static string ScrubTraceId(string body) => TraceId().Replace(body, "\"traceId\":\"…\"");

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();

    public sealed record Item(int Id, string Name);
}
