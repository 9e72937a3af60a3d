using System.Reflection;
using System.Text;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;
using SyncContext.Tests.Pages;

namespace SyncContext.Tests.Mvc;

/// <summary>
/// <c>MapRazorPages().OffloadSync()</c> on real pages, compiled at build time (SyncContext.Tests.Pages): sync handler
/// methods run on the executor; binding, filters, the view and errors are those of the same app without the package.
/// </summary>
public class RazorPageOffloadTests
{
    [Fact]
    public async Task A_sync_page_handler_runs_on_a_SyncContext_thread_with_the_requests_context_and_its_page_filters_and_view_stay_on_the_pool()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());

        var page = await GetPageAsync(host, "/Where");

        page["handler"].ShouldBe("SyncContext");
        page["accessor-is-the-request"].ShouldBe("True");
        page["request-context-path"].ShouldBe("/Where");
        page["model-filter"].ShouldBe("pool", "the page model's own OnPageHandlerExecuting");
        page["filter"].ShouldBe("pool", "a page filter of the app's");
        page["filter-after"].ShouldBe("pool");
        page["rendered"].ShouldBe("pool", "the view is the page's result, which MVC executes after the page filters");
    }

    [Fact]
    public async Task A_page_filter_ordered_last_on_the_page_still_runs_on_the_pool_only_the_handler_moves()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());

        var page = await GetPageAsync(host, "/Where");

        page["innermost-filter"].ShouldBe("pool");
        page["handler"].ShouldBe("SyncContext");
    }

    [Fact]
    public async Task Each_offloaded_page_handler_is_a_kind_of_work_of_its_own_measured_under_its_pages_route()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var ran = new MetricCollector<double>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), SyncContextMetrics.MeterName, "synccontext.work.run.duration");
        var kindsBefore = executor.Workers.Profiles.KindCount;

        await GetPageAsync(host, "/Where");
        using var client = host.Server.CreateClient();
        (await client.PostAsync("/Void", content: null)).EnsureSuccessStatusCode();
        await GetPageAsync(host, "/Where");

        (executor.Workers.Profiles.KindCount - kindsBefore).ShouldBe(2);
        await TestHosts.WaitUntilAsync(() => ran.GetMeasurementSnapshot().Count == 3, "the three runs to be measured");
        ran.GetMeasurementSnapshot().Select(static m => m.Tags["http.route"]).Order().ShouldBe(["Void", "Where", "Where"]);
    }

    [Fact]
    public async Task Without_OffloadSync_the_same_page_runs_on_the_pool_and_renders_the_same_view()
    {
        await using var offloaded = await StartAsync(app => app.MapRazorPages().OffloadSync());
        await using var plain = await StartAsync(app => app.MapRazorPages());

        var withPackage = await SeeAsync(offloaded, "GET", "/Where");
        var without = await SeeAsync(plain, "GET", "/Where");

        without.ShouldContain("handler=pool");
        without.ShouldContain("innermost-filter=pool");
        withPackage.ShouldContain("handler=SyncContext");
        Normalize(withPackage).ShouldBe(Normalize(without));

        // Only the handler ran elsewhere.
        static string Normalize(string seen) => seen
            .Replace("handler=SyncContext", "handler=pool", StringComparison.Ordinal)
            .Replace("executor=SyncContext", "executor=pool", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_void_post_handler_runs_on_the_executor_and_an_async_handler_or_a_page_without_one_stays_on_the_pool()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());

        using var client = host.Server.CreateClient();
        using var posted = await client.PostAsync("/Void", content: null);
        posted.Headers.GetValues("X-Handler").ShouldBe(["SyncContext"]);
        (await posted.Content.ReadAsStringAsync()).Trim().ShouldBe("posted");

        (await GetPageAsync(host, "/WhereAsync"))["handler"].ShouldBe("pool");
        (await GetPageAsync(host, "/Plain"))["rendered"].ShouldBe("pool");
        (await host.GetAsText("/Void")).Trim().ShouldBe("posted", "a GET has no handler on that page");
    }

    [Fact]
    public async Task DisableOffloadSync_on_a_handler_or_its_page_model_keeps_it_on_the_pool_under_MapRazorPages_OffloadSync()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());

        (await GetPageAsync(host, "/OptedOut"))["handler"].ShouldBe("pool");
        (await GetPageAsync(host, "/OptedOut?handler=Other"))["handler"].ShouldBe("SyncContext", "the page's other handler is still offloaded");
        (await GetPageAsync(host, "/Inline"))["handler"].ShouldBe("pool");
    }

    [Fact]
    public async Task DisableOffloadSync_after_OffloadSync_on_MapRazorPages_keeps_its_pages_on_the_pool()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync().DisableOffloadSync());

        (await GetPageAsync(host, "/Where"))["handler"].ShouldBe("pool");
    }

    [Theory]
    [InlineData("GET", "/Order/3?quantity=2&note=hi", null, "200")]
    [InlineData("GET", "/Order/0", null, "404")]
    [InlineData("GET", "/Order/3?quantity=abc", null, "200")]
    [InlineData("GET", "/Order/3?quantity=20", null, "200")]
    [InlineData("GET", "/Order/x", null, "404")]
    [InlineData("POST", "/Order/3", "Form.Item=tea&Form.Quantity=2", "302")]
    [InlineData("POST", "/Order/3", "Form.Quantity=20", "200")]
    [InlineData("GET", "/Throws", null, "500")]
    public async Task Answers_are_those_of_the_same_app_without_the_package(string method, string url, string? form, string expectedStatus)
    {
        await using var offloaded = await StartAsync(app => app.MapRazorPages().OffloadSync());
        await using var plain = await StartAsync(app => app.MapRazorPages());

        var withPackage = await SeeAsync(offloaded, method, url, form);
        var without = await SeeAsync(plain, method, url, form);

        withPackage.ShouldStartWith(expectedStatus);
        withPackage.ShouldBe(without);
    }

    [Fact]
    public async Task Binding_and_validation_of_handler_arguments_and_BindProperty_reach_the_offloaded_handler()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());

        var bound = await SeeAsync(host, "GET", "/Order/3?quantity=2&note=hi");
        var invalid = await SeeAsync(host, "POST", "/Order/3", "Form.Quantity=20");

        bound.ShouldContain("id=3\nnote=hi\nquantity=2");
        bound.ShouldContain("valid=True");
        invalid.ShouldContain("valid=False");
        invalid.ShouldContain("Form.Item: The Item field is required.");
        invalid.ShouldContain("Form.Quantity: The field Quantity must be between 1 and 10.");
    }

    [Fact]
    public async Task An_exception_from_an_offloaded_handler_reaches_the_exception_handler_with_its_stack()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());

        var seen = await SeeAsync(host, "GET", "/Throws?stack=1");

        seen.ShouldContain("handled InvalidOperationException: thrown by the handler");
        seen.ShouldContain("at SyncContext.Tests.Pages.ThrowsModel.OnGet()");
    }

    [Fact]
    public async Task An_offloaded_handler_may_read_the_body_synchronously()
    {
        await using var host = await StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                // As on Kestrel: TestServer would allow it anyway.
                context.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = false;
                return next(context);
            });
            app.MapRazorPages().OffloadSync();
        });

        using var client = host.Server.CreateClient();
        using var echoed = await client.PostAsync("/Echo", new StringContent("read to the end"));

        (await echoed.Content.ReadAsStringAsync()).Trim().ShouldBe("echo=read to the end");
    }

    [Fact]
    public async Task OffloadSync_with_a_name_runs_the_page_handlers_on_that_executor()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync("pages"));

        (await GetPageAsync(host, "/Where"))["executor"].ShouldBe("SyncContext pages");
    }

    [Fact]
    public async Task ExecuteOn_on_a_page_model_picks_the_executor_of_its_handlers()
    {
        await using var host = await StartAsync(app => app.MapRazorPages().OffloadSync());

        (await GetPageAsync(host, "/Bulkhead"))["executor"].ShouldBe("SyncContext pages");
        (await GetPageAsync(host, "/Where"))["executor"].ShouldBe("SyncContext", "the other pages run on the default executor");
    }

    [Fact]
    public async Task OffloadSync_on_a_group_holding_Razor_Pages_runs_their_sync_handlers_on_the_executor()
    {
        await using var host = await StartAsync(app =>
        {
            app.MapGroup("/site").OffloadSync().MapRazorPages();
            app.MapGroup("/bulkhead").OffloadSync("pages").MapRazorPages();
            app.MapGroup("/both").OffloadSync().MapRazorPages().OffloadSync();
            app.MapGroup("/plain").MapRazorPages();
        });

        (await GetPageAsync(host, "/site/Where"))["handler"].ShouldBe("SyncContext");
        (await GetPageAsync(host, "/site/WhereAsync"))["handler"].ShouldBe("pool");
        (await GetPageAsync(host, "/bulkhead/Where"))["executor"].ShouldBe("SyncContext pages");
        (await GetPageAsync(host, "/both/Where"))["handler"].ShouldBe("SyncContext");
        (await GetPageAsync(host, "/plain/Where"))["handler"].ShouldBe("pool", "the same pages mapped again without OffloadSync()");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_page_handler_the_saturated_executor_refuses_is_answered_with_503_and_Retry_After(bool exceptionHandler)
    {
        await using var host = await StartAsync(
            app => app.MapRazorPages().OffloadSync(),
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.QueueLimit = 0;
                o.RetryAfter = TimeSpan.FromSeconds(4);
            },
            exceptionHandler: exceptionHandler);
        await Saturation.ExpectRefusedAsync(host, "/Where");

        (await GetPageAsync(host, "/Where"))["handler"].ShouldBe("SyncContext", "once the worker is free again");
    }

    [Fact]
    public async Task ExecuteOn_on_a_page_handler_method_fails_when_the_endpoints_are_built_and_names_the_fix()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        builder.Services.AddSyncExecutor("pages");
        builder.Services.AddRazorPages();

        // A compiled page as MVC describes it, whose handler names an executor.
        builder.Services.AddSingleton<IActionDescriptorProvider, HandlerExecuteOnPageProvider>();
        await using var app = builder.Build();
        app.MapRazorPages().OffloadSync();

        var failure = Should.Throw<InvalidOperationException>(() => ((IEndpointRouteBuilder)app).DataSources.SelectMany(static source => source.Endpoints).ToList());

        failure.Message.ShouldContain($"[ExecuteOn] cannot pick the executor of the Razor Pages handler '{typeof(HandlerExecuteOnModel).FullName}.OnGet'");
        failure.Message.ShouldContain("Put [ExecuteOn] on the page model class, or call OffloadSync(name)");
    }

    [Fact]
    public async Task Registering_SyncContext_changes_no_page_and_OffloadSync_adds_only_its_mark_to_the_endpoints_it_covers()
    {
        static async Task<List<string>> DescribeAsync(bool withSyncContext, bool offload)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.Logging.ClearProviders();
            if (withSyncContext)
            {
                builder.Services.AddSyncContext();
                builder.Services.AddSyncExecutor("pages"); // BulkheadModel's
            }

            builder.Services.AddRazorPages().AddApplicationPart(typeof(WhereModel).Assembly);
            await using var app = builder.Build();
            app.MapRazorPages();
            var offloaded = app.MapGroup("/offloaded").MapRazorPages();
            if (offload)
            {
                offloaded.OffloadSync();
            }

            // Each endpoint's metadata by type, and, before any page ran, the filters MVC will run for it.
            var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(static source => source.Endpoints).OfType<RouteEndpoint>().ToList();
            return endpoints
                .Select(static endpoint =>
                    $"{endpoint.RoutePattern.RawText}: {string.Join(", ", endpoint.Metadata.Select(static item => item.GetType().Name))}; " +
                    $"filters {string.Join(", ", endpoint.Metadata.GetMetadata<PageActionDescriptor>()!.FilterDescriptors.Select(static f => f.Filter.GetType().Name))}")
                .ToList();
        }

        var without = await DescribeAsync(withSyncContext: false, offload: false);
        var registered = await DescribeAsync(withSyncContext: true, offload: false);
        var offloaded = await DescribeAsync(withSyncContext: true, offload: true);

        without.ShouldNotBeEmpty();
        registered.ShouldBe(without);
        offloaded.Count.ShouldBe(without.Count);
        for (var i = 0; i < without.Count; i++)
        {
            var (metadata, filters) = (without[i].Split("; filters ")[0], without[i].Split("; filters ")[1]);
            if (metadata.Contains(nameof(SyncContext.AspNetCore.Routing.DisableOffloadSyncAttribute), StringComparison.Ordinal))
            {
                offloaded[i].ShouldBe(without[i], "a page that opted out is left as it is");
                continue;
            }

            var covered = metadata.StartsWith("/offloaded/", StringComparison.Ordinal);
            var marks = offloaded[i].Split(", OffloadedPage").Length - 1;
            marks.ShouldBe(covered ? 1 : 0, offloaded[i]);

            // The descriptor is the page's, shared by both mappings: it holds SyncContext's filter, inert where unmarked.
            offloaded[i].Replace(", OffloadedPage", "", StringComparison.Ordinal).ShouldBe($"{metadata}; filters {filters}, PageOffloadFilter");
        }
    }

    /// <summary>A page model whose handler carries <see cref="ExecuteOnAttribute"/>, which pages cannot honour.</summary>
    public sealed class HandlerExecuteOnModel : PageModel
    {
        [ExecuteOn("pages")]
        public void OnGet()
        {
        }
    }

    private sealed class HandlerExecuteOnPageProvider : IActionDescriptorProvider
    {
        public int Order => 0;

        public void OnProvidersExecuting(ActionDescriptorProviderContext context)
        {
            var page = new PageActionDescriptor
            {
                RelativePath = "/Pages/Handler.cshtml",
                ViewEnginePath = "/Handler",
                DisplayName = "/Handler",
                AttributeRouteInfo = new AttributeRouteInfo { Template = "Handler" },
                RouteValues = { ["page"] = "/Handler" },
            };
            var model = typeof(HandlerExecuteOnModel);
            context.Results.Add(new CompiledPageActionDescriptor(page)
            {
                AttributeRouteInfo = page.AttributeRouteInfo,
                RouteValues = page.RouteValues,
                HandlerTypeInfo = model.GetTypeInfo(),
                ModelTypeInfo = model.GetTypeInfo(),
                PageTypeInfo = typeof(PageBase).GetTypeInfo(),
                HandlerMethods = [new HandlerMethodDescriptor { MethodInfo = model.GetMethod(nameof(HandlerExecuteOnModel.OnGet))!, HttpMethod = "GET", Parameters = [] }],
                BoundProperties = [],
                EndpointMetadata = [],
            });
        }

        public void OnProvidersExecuted(ActionDescriptorProviderContext context)
        {
        }
    }

    private static Task<IAlbaHost> StartAsync(Action<WebApplication> map, Action<SyncContextOptions>? options = null, bool exceptionHandler = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext(options);
        builder.Services.AddSyncExecutor("pages"); // BulkheadModel's
        builder.Services.AddRazorPages().AddApplicationPart(typeof(WhereModel).Assembly);
        return AlbaHost.For(builder, app =>
        {
            if (exceptionHandler)
            {
                app.UseExceptionHandler(error => error.Run(async context =>
                {
                    var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
                    context.Response.ContentType = "text/plain";
                    // The stack only on request: its executor frames are the one thing that differs from the plain app.
                    var stack = context.Request.Query.ContainsKey("stack") ? $"\n{exception?.StackTrace}" : "";
                    await context.Response.WriteAsync($"handled {exception?.GetType().Name}: {exception?.Message}{stack}");
                }));
            }

            map(app);
        });
    }

    /// <summary>The page's <c>key=value</c> lines.</summary>
    private static async Task<Dictionary<string, string>> GetPageAsync(IAlbaHost host, string url)
    {
        var text = await host.GetAsText(url);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(static line => line.Split('=', 2))
            .Where(static pair => pair.Length == 2)
            .ToDictionary(static pair => pair[0], static pair => pair[1]);
    }

    private static async Task<string> SeeAsync(IAlbaHost host, string method, string url, string? form = null)
    {
        using var client = host.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (form is not null)
        {
            request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await client.SendAsync(request);
        var text = (await response.Content.ReadAsStringAsync()).Replace("\r\n", "\n", StringComparison.Ordinal);
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {response.Headers.Location}\n{text}";
    }
}
