using System.Net.Http.Json;
using System.Text;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Mvc;

public class ControllerOffloadTests
{
    [Fact]
    public async Task A_sync_action_runs_on_a_SyncContext_thread_with_the_requests_context_and_its_filters_stay_on_the_pool()
    {
        await using var host = await StartAsync(offload: true);

        var where = await host.GetAsJson<Where>("/mvc/where");

        where.ShouldBe(new Where("SyncContext", AccessorIsTheRequest: true, FilterRanOnThePool: true));
    }

    [Fact]
    public async Task Each_offloaded_action_is_a_kind_of_work_of_its_own_measured_under_its_route()
    {
        await using var host = await StartAsync(offload: true);
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var ran = new MetricCollector<double>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), SyncContextMetrics.MeterName, "synccontext.work.run.duration");
        var kindsBefore = executor.Workers.Profiles.KindCount;

        await host.GetAsJson<Where>("/mvc/where");
        await host.Scenario(_ => _.Get.Url("/mvc/void"));
        await host.GetAsJson<Where>("/mvc/where");

        // The executor learns CPU-bound or blocking per kind: one shared by every action would mix them.
        (executor.Workers.Profiles.KindCount - kindsBefore).ShouldBe(2);
        await TestHosts.WaitUntilAsync(() => ran.GetMeasurementSnapshot().Count == 3, "the three runs to be measured");
        ran.GetMeasurementSnapshot().Select(static m => m.Tags["http.route"]).Order().ShouldBe(["mvc/void", "mvc/where", "mvc/where"]);
    }

    [Fact]
    public async Task A_void_action_runs_on_the_executor_and_an_async_action_stays_put()
    {
        await using var host = await StartAsync(offload: true);

        var result = await host.Scenario(_ => _.Get.Url("/mvc/void"));
        result.Context.Response.Headers["X-Void"].ToString().ShouldBe("SyncContext");
        (await host.GetAsText("/mvc/where-async")).ShouldBe("pool");
    }

    [Fact]
    public async Task DisableOffloadSync_on_an_action_or_its_controller_keeps_it_on_the_pool_under_MapControllers_OffloadSync()
    {
        await using var host = await StartAsync(offload: true);

        (await host.GetAsText("/mvc/opted-out")).ShouldBe("pool");
        (await host.GetAsText("/mvc-inline/where")).ShouldBe("pool");
        (await host.GetAsJson<Where>("/mvc/where")).ShouldNotBeNull().Thread.ShouldBe("SyncContext", "the other actions are still offloaded");
    }

    [Fact]
    public async Task Without_OffloadSync_the_same_app_runs_the_action_on_the_pool()
    {
        await using var host = await StartAsync(offload: false);

        (await host.GetAsJson<Where>("/mvc/where")).ShouldNotBeNull().Thread.ShouldBe("pool");
    }

    [Theory]
    [InlineData("GET", "/mvc/orders/3?quantity=2", null, "200")]
    [InlineData("GET", "/mvc/orders/0", null, "404")]
    [InlineData("GET", "/mvc/orders/3?quantity=abc", null, "400")]
    [InlineData("POST", "/mvc/orders", """{"item":"tea","quantity":2}""", "201")]
    [InlineData("POST", "/mvc/orders", """{"quantity":20}""", "400")]
    [InlineData("POST", "/mvc/orders", "not json", "400")]
    [InlineData("GET", "/mvc/throws", null, "500")]
    public async Task Answers_are_those_of_the_same_app_without_the_package(string method, string url, string? body, string expectedStatus)
    {
        await using var offloaded = await StartAsync(offload: true);
        await using var plain = await StartAsync(offload: false);

        var withPackage = await SeeAsync(offloaded, method, url, body);
        var without = await SeeAsync(plain, method, url, body);

        withPackage.ShouldStartWith(expectedStatus);
        withPackage.ShouldBe(without);
    }

    [Fact]
    public async Task An_exception_from_an_offloaded_action_reaches_the_exception_handler_with_its_stack()
    {
        await using var host = await StartAsync(offload: true);

        var seen = await SeeAsync(host, "GET", "/mvc/throws?stack=1", null);

        seen.ShouldContain("handled InvalidOperationException: thrown by the action");
        seen.ShouldContain("at SyncContext.Tests.Mvc.SyncController.Throws()");
    }

    [Fact]
    public async Task OffloadSync_on_a_page_compiled_at_its_first_request_fails_when_the_endpoints_are_built_and_names_the_fix()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        builder.Services.AddRazorPages();

        // A page as MVC describes it before it is compiled (as runtime compilation does), without a .cshtml; the pages
        // compiled at build time are in RazorPageOffloadTests.
        builder.Services.AddSingleton<IActionDescriptorProvider, OnePageProvider>();
        await using var app = builder.Build();
        app.MapGroup("/pages").OffloadSync().MapRazorPages();

        var failure = Should.Throw<InvalidOperationException>(() => ((IEndpointRouteBuilder)app).DataSources.SelectMany(static source => source.Endpoints).ToList());

        failure.Message.ShouldContain("cannot offload the Razor Pages endpoint '/Report'");
        failure.Message.ShouldContain("not compiled at build time");
        failure.Message.ShouldContain("remove AddRazorRuntimeCompilation()");
    }

    [Fact]
    public async Task OffloadSync_on_an_MVC_action_of_another_kind_fails_when_the_endpoints_are_built_and_names_it()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        await using var app = builder.Build();

        // Neither a controller action nor a page: what a third-party MVC extension could put on an endpoint.
        app.MapGet("/other", () => "other").WithMetadata(new ActionDescriptor { DisplayName = "other action" }).WithDisplayName("other action").OffloadSync();

        var failure = Should.Throw<InvalidOperationException>(() => ((IEndpointRouteBuilder)app).DataSources.SelectMany(static source => source.Endpoints).ToList());

        failure.Message.ShouldContain("cannot offload the endpoint 'other action': it is an MVC action of kind ActionDescriptor");
        failure.Message.ShouldContain("Remove OffloadSync() from it");
    }

    [Fact]
    public async Task An_action_the_saturated_executor_refuses_is_answered_with_503_and_Retry_After()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext(o =>
        {
            o.MaxThreads = 1;
            o.MinThreads = 1;
            o.QueueLimit = 0;
            o.RetryAfter = TimeSpan.FromSeconds(4);
        });
        builder.Services.AddControllers()
            .ConfigureApplicationPartManager(parts => parts.ApplicationParts.Add(new AssemblyPart(typeof(SyncController).Assembly)));
        await using var host = await AlbaHost.For(builder, app => app.MapControllers().OffloadSync());
        await Saturation.ExpectRefusedAsync(host, "/mvc/where");
    }

    private sealed class OnePageProvider : IActionDescriptorProvider
    {
        public int Order => 0;

        public void OnProvidersExecuting(ActionDescriptorProviderContext context)
            => context.Results.Add(new PageActionDescriptor
            {
                RelativePath = "/Pages/Report.cshtml",
                ViewEnginePath = "/Report",
                DisplayName = "/Report",
                AttributeRouteInfo = new AttributeRouteInfo { Template = "Report" },
                RouteValues = { ["page"] = "/Report" },
            });

        public void OnProvidersExecuted(ActionDescriptorProviderContext context)
        {
        }
    }

    private static async Task<string> SeeAsync(IAlbaHost host, string method, string url, string? body)
    {
        using var client = host.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        // ProblemDetails carry the request's trace id, which differs between two hosts.
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"-\"");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {response.Headers.Location}\n{text}";
    }

    [Fact]
    public async Task OffloadSync_on_a_group_holding_controllers_fails_when_the_endpoints_are_built_and_names_the_fix()
    {
        await using var app = ControllerApp();
        app.MapGroup("/api").OffloadSync().MapControllers();

        var failure = Should.Throw<InvalidOperationException>(() => ((IEndpointRouteBuilder)app).DataSources.SelectMany(static source => source.Endpoints).ToList());

        failure.Message.ShouldContain("cannot reach the controller action");
        failure.Message.ShouldContain("group.MapControllers().OffloadSync()");
    }

    [Fact]
    public async Task OffloadSync_on_MapControllers_inside_a_group_runs_its_sync_actions_on_the_executor()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        builder.Services.AddControllers()
            .ConfigureApplicationPartManager(parts => parts.ApplicationParts.Add(new AssemblyPart(typeof(SyncController).Assembly)));
        await using var host = await AlbaHost.For(builder, app => app.MapGroup("/api").OffloadSync().MapControllers().OffloadSync());

        (await host.GetAsJson<Where>("/api/mvc/where")).ShouldNotBeNull().Thread.ShouldBe("SyncContext");
        (await host.GetAsText("/api/mvc/where-async")).ShouldBe("pool");
    }

    private static WebApplication ControllerApp()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        builder.Services.AddControllers()
            .ConfigureApplicationPartManager(parts => parts.ApplicationParts.Add(new AssemblyPart(typeof(SyncController).Assembly)));
        return builder.Build();
    }

    private static Task<IAlbaHost> StartAsync(bool offload)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        builder.Services.AddControllers()
            .ConfigureApplicationPartManager(parts => parts.ApplicationParts.Add(new AssemblyPart(typeof(SyncController).Assembly)));
        return AlbaHost.For(builder, app =>
        {
            app.UseExceptionHandler(error => error.Run(async context =>
            {
                var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
                context.Response.ContentType = "text/plain";
                // The stack only on request: its executor frames are the one thing that differs from the plain app.
                var stack = context.Request.Query.ContainsKey("stack") ? $"\n{exception?.StackTrace}" : "";
                await context.Response.WriteAsync($"handled {exception?.GetType().Name}: {exception?.Message}{stack}");
            }));
            app.MapControllers().OffloadSyncIf(offload);
        });
    }
}
