using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Routing;

/// <summary>
/// The opt-out: <see cref="DisableOffloadSyncAttribute"/> on a handler, or <c>.DisableOffloadSync()</c> on an endpoint or
/// group, keeps a sync handler on the request thread whichever way it would otherwise be offloaded. Each app also maps
/// the same handler without the opt-out, which must run on the executor, so a test cannot pass by offloading nothing.
/// </summary>
public class DisableOffloadSyncTests
{
    public static TheoryData<OffloadMode> OffloadingModes => [OffloadMode.Endpoint, OffloadMode.Group, OffloadMode.Generated];

    private static string Where() => Thread.CurrentThread.Name ?? "unnamed";

    [DisableOffloadSync]
    private static string WhereInline() => Where();

    [Theory]
    [MemberData(nameof(OffloadingModes))]
    public async Task The_attribute_keeps_the_handler_on_the_request_thread(OffloadMode mode)
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            var routes = new OffloadMapper(app, mode);
            routes.MapGet("/offloaded", Where);
            routes.MapGet("/lambda", [DisableOffloadSync] () => Where());
            routes.MapGet("/method", WhereInline);
        });

        (await host.GetAsText("/offloaded")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/lambda")).ShouldNotStartWith("SyncContext #");
        (await host.GetAsText("/method")).ShouldNotStartWith("SyncContext #");
    }

    [Theory]
    [MemberData(nameof(OffloadingModes))]
    public async Task The_convention_on_an_endpoint_keeps_it_on_the_request_thread(OffloadMode mode)
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            var routes = new OffloadMapper(app, mode);
            routes.MapGet("/offloaded", Where);
            routes.MapGet("/inline", Where).DisableOffloadSync();
        });

        (await host.GetAsText("/offloaded")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/inline")).ShouldNotStartWith("SyncContext #");
    }

    [Fact]
    public async Task The_convention_on_a_group_wins_over_OffloadSync_on_the_group_and_on_its_endpoints()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            var offloaded = app.MapGroup("/offloaded").OffloadSync();
            offloaded.MapGet("/", Where);
            var inline = offloaded.MapGroup("/inline").DisableOffloadSync();
            inline.MapGet("/", Where);
            inline.MapGet("/explicit", Where).OffloadSync();
            SyncContextEndpoints.Map(inline, "/generated", Where, ["GET"]);
        });

        (await host.GetAsText("/offloaded/")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/offloaded/inline/")).ShouldNotStartWith("SyncContext #");
        (await host.GetAsText("/offloaded/inline/explicit")).ShouldNotStartWith("SyncContext #");
        (await host.GetAsText("/offloaded/inline/generated")).ShouldNotStartWith("SyncContext #");
    }

    [Fact]
    public async Task Under_the_automatic_offload_of_an_RDG_app_the_attribute_and_the_convention_keep_handlers_inline()
    {
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.MapGet("/offloaded", Where);
                app.MapGet("/attribute", [DisableOffloadSync] () => Where());
                app.MapGet("/endpoint", Where).DisableOffloadSync();
                app.MapGroup("/group").DisableOffloadSync().MapGet("/", Where);
                app.MapGet("/explicit", Where).OffloadSync().DisableOffloadSync();
            },
            services: builder =>
            {
                // As in an app built with EnableRequestDelegateGenerator (the build files set the feature switch).
                builder.Services.RemoveAll<MatcherPolicy>();
                builder.Services.AddSingleton<MatcherPolicy>(sp => new AutomaticOffloadPolicy(sp, enabled: true));
            });

        (await host.GetAsText("/offloaded")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/attribute")).ShouldNotStartWith("SyncContext #");
        (await host.GetAsText("/endpoint")).ShouldNotStartWith("SyncContext #");
        (await host.GetAsText("/group/")).ShouldNotStartWith("SyncContext #");
        (await host.GetAsText("/explicit")).ShouldNotStartWith("SyncContext #");
    }

    [Fact]
    public async Task OffloadSync_without_reflection_honours_the_opt_out()
    {
        // The path OffloadSync() takes where the Request Delegate Generator built the endpoints: the endpoint's own delegate.
        await using var host = await TestHosts.StartAsync(app =>
        {
            var group = app.MapGroup("");
            ((IEndpointConventionBuilder)group).Finally(RuntimeOffload.RunOnExecutor);
            group.MapGet("/offloaded", Where);
            group.MapGet("/attribute", [DisableOffloadSync] () => Where());
            group.MapGet("/endpoint", Where).DisableOffloadSync();
        });

        (await host.GetAsText("/offloaded")).ShouldStartWith("SyncContext #");
        (await host.GetAsText("/attribute")).ShouldNotStartWith("SyncContext #");
        (await host.GetAsText("/endpoint")).ShouldNotStartWith("SyncContext #");
    }
}
