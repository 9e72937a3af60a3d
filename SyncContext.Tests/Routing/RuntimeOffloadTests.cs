using System.Collections.Concurrent;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Routing;

/// <summary>The limits of the runtime convention and the generator's entry point, and how they are reported.</summary>
public class RuntimeOffloadTests
{
    private static string Where() => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed";

    /// <summary>Guards the one reflection on ASP.NET Core internals: the handler is found in RDF's request delegate.</summary>
    [Fact]
    public void The_handler_is_found_in_the_request_delegate_RDF_builds()
    {
        var prefix = "item ";
        Func<int, string> handler = id => prefix + id;

        var built = RequestDelegateFactory.Create(handler).RequestDelegate;

        RouteHandlerLookup.Find(built, handler.Method, "/items/{id}").ShouldBeSameAs(handler);
    }

    [Fact]
    public async Task OffloadSync_fails_at_start_up_when_a_convention_replaced_the_request_delegate()
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await using var host = await TestHosts.StartAsync(app =>
            {
                var endpoint = app.MapGet("/replaced", Where);
                endpoint.Add(e => e.RequestDelegate = context => context.Response.WriteAsync("mine"));
                endpoint.OffloadSync();
            });
            await host.GetAsText("/replaced");
        });

        error.Message.ShouldContain("OffloadSync() cannot offload the endpoint");
        error.Message.ShouldContain("SyncContext generator");
    }

    [Fact]
    public async Task OffloadSync_leaves_a_RequestDelegate_endpoint_alone()
    {
        await using var host = await TestHosts.StartAsync(app =>
            app.MapGet("/raw", (RequestDelegate)(context => context.Response.WriteAsync(Where()))).OffloadSync());

        (await host.GetAsText("/raw")).ShouldBe("pool");
    }

    [Fact]
    public async Task Generator_entry_point_passes_async_handlers_through_untouched()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            Delegate handler = async () =>
            {
                await Task.Yield();
                return Where();
            };
            SyncContextEndpoints.Map(app, "/async", handler, ["GET"]);
            SyncContextEndpoints.Map(app, "/sync", (Delegate)Where, ["GET"]);
        });

        (await host.GetAsText("/async")).ShouldBe("pool");
        (await host.GetAsText("/sync")).ShouldStartWith("SyncContext #");
    }

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Group)]
    [InlineData(OffloadMode.Generated)]
    public async Task Handler_with_more_than_16_parameters_runs_inline_and_a_warning_names_the_endpoint_and_the_fix(OffloadMode mode)
    {
        var logs = new EscapedRejectionTests.LogRecorder();
        await using var host = await TestHosts.StartAsync(
            app => new OffloadMapper(app, mode).MapGet("/many", (
                int? a1, int? a2, int? a3, int? a4, int? a5, int? a6, int? a7, int? a8, int? a9,
                int? a10, int? a11, int? a12, int? a13, int? a14, int? a15, int? a16, int? a17) => $"{Where()}|{a1}|{a17}"),
            services: builder => builder.Logging.AddProvider(logs));

        (await host.GetAsText("/many?a1=1&a17=17")).ShouldBe("pool|1|17");
        var warning = logs.Entries.Where(e => e.Level >= LogLevel.Warning).ShouldHaveSingleItem();
        warning.Level.ShouldBe(LogLevel.Warning);
        warning.Message.ShouldContain("/many");
        warning.Message.ShouldContain("[AsParameters]");
    }
}
