using System.Net;
using System.Reflection;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Executors;

/// <summary>
/// Named executors (bulkheads): <c>AddSyncExecutor(name)</c>, picked by <c>OffloadSync(name)</c> or <c>[ExecuteOn(name)]</c>
/// on every offload path, keyed <see cref="IRunSync"/>, its own threads, queue, limits and lifetime.
/// </summary>
public class NamedExecutorTests
{
    private const string LegacyDb = "legacy-db";

    private static string Where() => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed";

    private static Task<IAlbaHost> StartAsync(Action<WebApplication> configure, Action<SyncContextOptions>? legacyDb = null, Action<WebApplicationBuilder>? services = null)
        => TestHosts.StartAsync(configure, services: builder =>
        {
            builder.Services.AddSyncExecutor(LegacyDb, legacyDb);
            services?.Invoke(builder);
        });

    [Fact]
    public async Task OffloadSync_with_a_name_runs_the_handler_on_that_executors_threads_and_the_others_stay_on_the_default_one()
    {
        await using var host = await StartAsync(app =>
        {
            app.MapGet("/legacy", Where).OffloadSync(LegacyDb);
            app.MapGet("/default", Where).OffloadSync();
        });

        (await host.GetAsText("/legacy")).ShouldStartWith("SyncContext legacy-db #");
        (await host.GetAsText("/default")).ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task OffloadSync_with_a_name_on_a_group_picks_the_executor_of_its_endpoints_the_generators_included()
    {
        await using var host = await StartAsync(app =>
        {
            var group = app.MapGroup("/legacy").OffloadSync(LegacyDb);
            group.MapGet("/runtime", Where);
            SyncContextEndpoints.Map(group, "/generated", Where, ["GET"]);
        });

        (await host.GetAsText("/legacy/runtime")).ShouldStartWith("SyncContext legacy-db #");
        (await host.GetAsText("/legacy/generated")).ShouldStartWith("SyncContext legacy-db #");
    }

    [Fact]
    public async Task The_attribute_on_a_handler_lambda_picks_the_executor_for_the_generator_and_for_OffloadSync()
    {
        await using var host = await StartAsync(app =>
        {
            SyncContextEndpoints.Map(app, "/generated", [ExecuteOn(LegacyDb)] () => Where(), ["GET"]);
            app.MapGet("/runtime", [ExecuteOn(LegacyDb)] () => Where()).OffloadSync();
        });

        (await host.GetAsText("/generated")).ShouldStartWith("SyncContext legacy-db #");
        (await host.GetAsText("/runtime")).ShouldStartWith("SyncContext legacy-db #");
    }

    [Fact]
    public async Task The_handlers_attribute_wins_over_its_groups_convention()
    {
        await using var host = await TestHosts.StartAsync(
            app => SyncContextEndpoints.Map(app.MapGroup("/g").OffloadSync(LegacyDb), "/where", [ExecuteOn("reports")] () => Where(), ["GET"]),
            services: builder => builder.Services.AddSyncExecutor(LegacyDb).AddSyncExecutor("reports"));

        (await host.GetAsText("/g/where")).ShouldStartWith("SyncContext reports #");
    }

    [Fact]
    public async Task The_attribute_picks_the_executor_where_the_Request_Delegate_Generator_built_the_endpoint()
    {
        await using var host = await StartAsync(
            app => app.MapGet("/where", [ExecuteOn(LegacyDb)] () => Where()),
            services: builder =>
            {
                // As in an app built with EnableRequestDelegateGenerator (the build files set the feature switch).
                builder.Services.RemoveAll<MatcherPolicy>();
                builder.Services.AddSingleton<MatcherPolicy>(sp => new AutomaticOffloadPolicy(sp, enabled: true));
            });

        (await host.GetAsText("/where")).ShouldStartWith("SyncContext legacy-db #");
    }

    [Fact]
    public async Task A_controller_action_runs_on_the_executor_its_attribute_names()
    {
        await using var host = await StartControllersAsync(app => app.MapControllers().OffloadSync());

        (await host.GetAsText("/executors/attributed")).ShouldStartWith("SyncContext legacy-db #");
        (await host.GetAsText("/executors/plain")).ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task OffloadSync_with_a_name_on_MapControllers_runs_its_actions_on_that_executor()
    {
        await using var host = await StartControllersAsync(app => app.MapControllers().OffloadSync("reports"));

        (await host.GetAsText("/executors/plain")).ShouldStartWith("SyncContext reports #");
    }

    [Fact]
    public async Task A_set_ThreadNamePrefix_names_a_named_executors_threads()
    {
        await using var host = await StartAsync(app => app.MapGet("/where", Where).OffloadSync(LegacyDb), legacyDb: o => o.ThreadNamePrefix = "LegacyDb");

        (await host.GetAsText("/where")).ShouldStartWith("LegacyDb #");
    }

    [Fact]
    public async Task An_unknown_executor_name_fails_when_the_endpoints_are_built_naming_the_registered_executors()
    {
        await using var host = await StartAsync(app => app.MapGet("/where", Where).OffloadSync("legacy-dv"));

        var error = Should.Throw<InvalidOperationException>(() => host.Services.GetRequiredService<EndpointDataSource>().Endpoints);

        error.Message.ShouldContain("'legacy-dv'");
        error.Message.ShouldContain("The registered executors are: 'default', 'legacy-db'.");
        error.Message.ShouldContain("HTTP: GET /where");
    }

    [Fact]
    public async Task An_unknown_executor_name_fails_the_Request_Delegate_Generators_offload_when_routing_builds_its_matcher()
    {
        await using var host = await StartAsync(app => app.MapGet("/where", [ExecuteOn("nope")] () => Where()));
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var policy = new AutomaticOffloadPolicy(host.Services, enabled: true);

        Should.Throw<InvalidOperationException>(() => policy.AppliesToEndpoints(endpoints)).Message.ShouldContain("'nope'");
    }

    [Fact]
    public async Task A_named_executor_is_a_keyed_IRunSync_and_IRunInExecutor_and_default_is_the_default_one()
    {
        await using var host = await StartAsync(app =>
        {
            app.MapGet("/keyed", async ([FromKeyedServices(LegacyDb)] IRunSync legacy) => await legacy.RunAsync(Where));
            app.MapGet("/keyed-empty", async ([FromKeyedServices(LegacyDb)] IRunInExecutor legacy) => await legacy.RunAsync(Where));
            app.MapGet("/default", async ([FromKeyedServices("default")] IRunSync runSync) => await runSync.RunAsync(Where));
        });

        (await host.GetAsText("/keyed")).ShouldStartWith("SyncContext legacy-db #");
        (await host.GetAsText("/keyed-empty")).ShouldStartWith("SyncContext legacy-db #");
        (await host.GetAsText("/default")).ShouldStartWith("SyncContext #");
        host.Services.GetRequiredKeyedService<IRunSync>("default").ShouldBeSameAs(host.Services.GetRequiredService<SyncExecutor>());
        host.Services.GetRequiredKeyedService<SyncExecutor>(LegacyDb).Name.ShouldBe(LegacyDb);
        host.Services.GetRequiredService<SyncExecutor>().Name.ShouldBe("default");
    }

    [Fact]
    public async Task A_saturated_named_executor_answers_503_with_its_own_Retry_After_while_the_default_executors_endpoints_answer_200()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        await using var host = await StartAsync(
            app =>
            {
                app.MapGet("/legacy", () =>
                {
                    started.Set();
                    gate.Wait(TestHosts.HangGuard);
                    return Where();
                }).OffloadSync(LegacyDb);
                app.MapGet("/legacy-quick", Where).OffloadSync(LegacyDb);
                app.MapGet("/legacy-async", async ([FromKeyedServices(LegacyDb)] IRunSync legacy) => await legacy.RunAsync(Where));
                app.MapGet("/fast", Where).OffloadSync();
            },
            legacyDb: o =>
            {
                o.MaxThreads = 1;
                o.QueueLimit = 0;
                o.RetryAfter = TimeSpan.FromSeconds(7);
            },
            services: builder => builder.Services.Configure<SyncContextOptions>(o => o.RetryAfter = TimeSpan.FromSeconds(2)));
        var client = host.Server.CreateClient();

        var blocked = client.GetAsync("/legacy");
        await TestHosts.WaitUntilAsync(() => started.IsSet, "the legacy handler to hold legacy-db's one thread");
        try
        {
            foreach (var path in new[] { "/legacy-quick", "/legacy", "/legacy-async" })
            {
                var refused = await client.GetAsync(path);
                refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, path);
                refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7), $"{path}: legacy-db's RetryAfter, not the default executor's");
            }

            var fast = await client.GetAsync("/fast");
            fast.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await fast.Content.ReadAsStringAsync()).ShouldStartWith("SyncContext #");
        }
        finally
        {
            gate.Set();
        }

        var held = await blocked.WaitAsync(TestHosts.HangGuard);
        held.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await held.Content.ReadAsStringAsync()).ShouldStartWith("SyncContext legacy-db #");
    }

    [Fact]
    public async Task A_named_executor_is_stopped_with_the_host()
    {
        var host = await StartAsync(_ => { });
        var legacy = host.Services.GetRequiredKeyedService<SyncExecutor>(LegacyDb);
        (await legacy.RunAsync(Where)).ShouldStartWith("SyncContext legacy-db #");

        await host.StopAsync();

        (await Should.ThrowAsync<WorkRejectedException>(legacy.RunAsync(Where))).Reason.ShouldBe(WorkRejectionReason.Stopping);
        await legacy.WhenAllWorkersExited.WaitAsync(TestHosts.HangGuard);
        await host.DisposeAsync();
    }

    private static Task<IAlbaHost> StartControllersAsync(Action<WebApplication> configure)
        => StartAsync(configure, services: builder =>
        {
            builder.Services.AddSyncExecutor("reports");
            builder.Services.AddControllers().ConfigureApplicationPartManager(parts => parts.FeatureProviders.Add(new OnlyExecutorControllers()));
        });

    [Fact]
    public async Task A_named_executors_invalid_options_fail_when_the_host_starts()
    {
        var error = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            StartAsync(_ => { }, legacyDb: o => o.QueueLimit = -1));

        error.Message.ShouldContain("SyncContextOptions.QueueLimit");
    }

    [Theory]
    [InlineData("default")]
    [InlineData(" ")]
    public void A_named_executor_cannot_be_called_default_or_blank(string name)
        => Should.Throw<ArgumentException>(() => new ServiceCollection().AddSyncExecutor(name));

    /// <summary>Only the controller below, which the other MVC tests' apps do not discover (it is a <see cref="NonControllerAttribute"/>).</summary>
    private sealed class OnlyExecutorControllers : IApplicationFeatureProvider<ControllerFeature>
    {
        public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature)
        {
            feature.Controllers.Clear();
            feature.Controllers.Add(typeof(ExecutorsController).GetTypeInfo());
        }
    }
}

[NonController]
[Route("executors")]
public sealed class ExecutorsController : ControllerBase
{
    [HttpGet("attributed")]
    [ExecuteOn("legacy-db")]
    public string Attributed() => Thread.CurrentThread.Name ?? "unnamed";

    [HttpGet("plain")]
    public string Plain() => Thread.CurrentThread.Name ?? "unnamed";
}
