using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SyncContext.Tests.Routing;

/// <summary>A sync handler returning null fails as it does without the package (500, no body), not as JSON null.</summary>
public class NullReturnTests
{
    private static void Configure(WebApplication app, OffloadMode mode)
    {
        var map = new OffloadMapper(app, mode);
        map.MapGet("/string", (string? q) => q);
        map.MapGet("/result", IResult? () => null);
        map.MapGet("/where", () => Thread.CurrentThread.Name ?? "pool");
    }

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Group)]
    [InlineData(OffloadMode.Generated)]
    public async Task Null_string_and_null_IResult_give_the_same_response_as_without_the_package(OffloadMode mode)
    {
        await using var plain = await KestrelApp.StartAsync(withSyncContext: false, app => Configure(app, OffloadMode.None));
        await using var offloaded = await KestrelApp.StartAsync(withSyncContext: true, app => Configure(app, mode));

        (await offloaded.Client.GetStringAsync("/where")).ShouldStartWith("SyncContext #");
        foreach (var url in new[] { "/string", "/result", "/string?q=tea" })
        {
            var without = await plain.SeeAsync(url);
            var with = await offloaded.SeeAsync(url);
            with.ShouldBe(without, url);
        }

        (await plain.SeeAsync("/string")).ShouldStartWith("500\nContent-Length: 0");
    }
}
