using System.Xml.Serialization;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SyncContext.Tests.Routing;

public class SynchronousIoTests
{
    /// <summary>
    /// Alba's TestServer allows synchronous I/O; Kestrel, the server users run, does not. Both apps turn it
    /// off at the front of the pipeline so the "without" case genuinely forbids it.
    /// </summary>
    private static Task<IAlbaHost> StartAsync(bool offload, bool allowSynchronousIO = true) => TestHosts.StartAsync(app =>
    {
        app.Use((ctx, next) =>
        {
            ctx.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = false;
            return next(ctx);
        });
        app.MapPost("/xml", (HttpContext http) =>
            {
                var order = (Order)new XmlSerializer(typeof(Order)).Deserialize(http.Request.Body)!;
                return $"{order.Id}:{order.Name}";
            })
            .AddEndpointFilter(async (context, next) =>
            {
                var result = await next(context);
                context.HttpContext.Response.Headers["X-Sync-IO-After"] = context.HttpContext.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO.ToString();
                return result;
            })
            .OffloadSyncIf(offload);
        app.MapPost("/text", (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            return reader.ReadToEnd();
        }).OffloadSyncIf(offload);
    }, options: o => o.AllowSynchronousIO = allowSynchronousIO);

    private const string OrderXml = "<Order><Id>7</Id><Name>tea</Name></Order>";

    [Fact]
    public async Task Offloaded_handler_may_read_the_body_synchronously()
    {
        await using var host = await StartAsync(offload: true);

        // Through HttpClient the body is TestServer's own stream, which enforces AllowSynchronousIO
        // (a Scenario hands the app a MemoryStream, which would not).
        using var client = host.Server.CreateClient();
        using var xml = await client.PostAsync("/xml", new StringContent(OrderXml));
        using var text = await client.PostAsync("/text", new StringContent("read to the end"));

        (await xml.Content.ReadAsStringAsync()).ShouldBe("7:tea");
        (await text.Content.ReadAsStringAsync()).ShouldBe("read to the end");
    }

    [Fact]
    public async Task Without_OffloadSync_synchronous_body_reads_are_refused()
    {
        await using var host = await StartAsync(offload: false);

        using var client = host.Server.CreateClient();

        var error = await Should.ThrowAsync<InvalidOperationException>(client.PostAsync("/text", new StringContent("read to the end")));

        error.Message.ShouldContain("Synchronous operations are disallowed");
    }

    [Fact]
    public async Task With_AllowSynchronousIO_off_an_offloaded_synchronous_body_read_fails_as_without_the_package()
    {
        await using var host = await StartAsync(offload: true, allowSynchronousIO: false);

        using var client = host.Server.CreateClient();

        var error = await Should.ThrowAsync<InvalidOperationException>(client.PostAsync("/text", new StringContent("read to the end")));

        error.Message.ShouldContain("Synchronous operations are disallowed");
    }

    [Fact]
    public async Task Synchronous_io_is_disallowed_again_once_the_offloaded_call_returns()
    {
        await using var host = await StartAsync(offload: true);

        await host.Scenario(_ =>
        {
            _.Post.Text(OrderXml).ToUrl("/xml");
            _.Header("X-Sync-IO-After").SingleValueShouldEqual("False");
        });
    }

    [Fact]
    public async Task Synchronous_io_the_server_already_allows_stays_allowed()
    {
        await using var host = await TestHosts.StartAsync(app =>
            app.MapGet("/allowed", (HttpContext http) => "ok")
                .AddEndpointFilter(async (context, next) =>
                {
                    var feature = context.HttpContext.Features.GetRequiredFeature<IHttpBodyControlFeature>();
                    feature.AllowSynchronousIO = true;
                    var result = await next(context);
                    context.HttpContext.Response.Headers["X-Sync-IO-After"] = feature.AllowSynchronousIO.ToString();
                    return result;
                })
                .OffloadSync());

        await host.Scenario(_ =>
        {
            _.Get.Url("/allowed");
            _.Header("X-Sync-IO-After").SingleValueShouldEqual("True");
        });
    }

    public sealed class Order
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";
    }
}
