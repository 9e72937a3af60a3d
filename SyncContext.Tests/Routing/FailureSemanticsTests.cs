using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace SyncContext.Tests.Routing;

public class FailureSemanticsTests
{
    private static Task<IAlbaHost> StartAsync(bool offload, Action<WebApplication> pipeline) => TestHosts.StartAsync(app =>
    {
        pipeline(app);
        app.MapGet("/throw", string () => throw new ItemMissingException("item 7 is missing")).OffloadSyncIf(offload);
        app.MapGet("/items/{id}", (int id) => $"item {id}").OffloadSyncIf(offload);
        app.MapPost("/items", (Item item) => item).OffloadSyncIf(offload);
    });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Exception_from_the_handler_reaches_the_developer_exception_page(bool offload)
    {
        await using var host = await StartAsync(offload, app => app.UseDeveloperExceptionPage());

        var seen = await Observed.OfAsync(host, _ => _.Get.Url("/throw"));

        seen.Status.ShouldBe(500);
        seen.Body.ShouldContain(typeof(ItemMissingException).FullName!);
        seen.Body.ShouldContain("item 7 is missing");
    }

    [Fact]
    public async Task Developer_exception_page_shows_the_same_with_and_without_OffloadSync()
    {
        await using var offloaded = await StartAsync(offload: true, app => app.UseDeveloperExceptionPage());
        await using var plain = await StartAsync(offload: false, app => app.UseDeveloperExceptionPage());

        var withOffload = await Observed.OfAsync(offloaded, _ => _.Get.Url("/throw"));
        var without = await Observed.OfAsync(plain, _ => _.Get.Url("/throw"));

        withOffload.Status.ShouldBe(without.Status);
        withOffload.ContentType.ShouldBe(without.ContentType);
        FirstLine(without.Body).ShouldContain("item 7 is missing");
        FirstLine(withOffload.Body).ShouldBe(FirstLine(without.Body));
    }

    [Fact]
    public async Task Exception_handler_sees_the_original_exception_with_and_without_OffloadSync()
    {
        static void Pipeline(WebApplication app)
        {
            app.UseExceptionHandler("/error");
            app.Map("/error", (HttpContext http) =>
            {
                var feature = http.Features.Get<IExceptionHandlerFeature>()!;
                return $"{feature.Error.GetType().Name}|{feature.Error.Message}|{feature.Path}|{feature.Endpoint?.DisplayName}";
            });
        }

        await using var offloaded = await StartAsync(offload: true, Pipeline);
        await using var plain = await StartAsync(offload: false, Pipeline);

        var withOffload = await Observed.OfAsync(offloaded, _ => _.Get.Url("/throw"));
        var without = await Observed.OfAsync(plain, _ => _.Get.Url("/throw"));

        withOffload.Body.ShouldStartWith("ItemMissingException|item 7 is missing|/throw|");
        withOffload.ShouldBe(without);
    }

    [Theory]
    [InlineData("GET", "/items/abc", null)]
    [InlineData("POST", "/items", "{ \"name\": ")]
    [InlineData("POST", "/items", "[1, 2]")]
    public async Task Binding_failures_give_the_same_response_with_and_without_OffloadSync(string method, string url, string? json)
    {
        await using var offloaded = await StartAsync(offload: true, _ => { });
        await using var plain = await StartAsync(offload: false, _ => { });

        void Request(Scenario _)
        {
            if (method == "GET")
            {
                _.Get.Url(url);
            }
            else
            {
                _.Post.Text(json!).ToUrl(url);
                _.ConfigureHttpContext(ctx => ctx.Request.ContentType = "application/json");
            }
        }

        var withOffload = await Observed.OfAsync(offloaded, Request);
        var without = await Observed.OfAsync(plain, Request);

        withOffload.Status.ShouldBe(400);
        withOffload.ShouldBe(without);
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    public sealed record Item(string Name);

    private sealed class ItemMissingException(string message) : Exception(message);
}
