using System.Net.Http.Json;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Routing;

/// <summary>
/// The offload of an app whose request delegates ASP.NET Core's Request Delegate Generator wrote (native AOT): no
/// interception, no reflection; routing hands on the endpoint with its own delegate running on the executor. This test
/// project does not run the SyncContext generator on itself, so its MapGet calls stand for the ones RDG intercepts.
/// </summary>
public class AutomaticOffloadTests
{
    private static string Where() => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed";

    private static Task<IAlbaHost> StartAsync(Action<WebApplication> configure, bool automatic = true)
        => TestHosts.StartAsync(configure, services: builder =>
        {
            // As in an app built with EnableRequestDelegateGenerator (the build files set the feature switch).
            builder.Services.RemoveAll<MatcherPolicy>();
            builder.Services.AddSingleton<MatcherPolicy>(sp => new AutomaticOffloadPolicy(sp, automatic));
        });

    [Fact]
    public async Task A_sync_route_handler_runs_on_the_executor_with_no_code_change()
    {
        await using var host = await StartAsync(app => app.MapGet("/where", Where));

        (await host.GetAsText("/where")).ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Without_the_switch_the_policy_offloads_nothing()
    {
        await using var host = await StartAsync(app => app.MapGet("/where", Where), automatic: false);

        (await host.GetAsText("/where")).ShouldBe("pool");
    }

    [Fact]
    public async Task A_string_handler_keeps_its_text_content_type_and_bytes()
    {
        await using var host = await StartAsync(app => app.MapGet("/text", () => Where() + " text"));

        var result = await host.Scenario(s =>
        {
            s.Get.Url("/text");
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("text/plain; charset=utf-8");
        });
        (await result.ReadAsTextAsync()).ShouldMatch("^SyncContext #[0-9]+ text$");
    }

    [Fact]
    public async Task A_handler_bound_from_a_json_body_runs_on_the_executor()
    {
        await using var host = await StartAsync(app => app.MapPost("/todos", (Todo todo) => todo with { Title = todo.Title + " on " + Where() }));

        var result = await host.Scenario(s =>
        {
            s.Post.Json(new Todo(3, "write")).ToUrl("/todos");
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("application/json; charset=utf-8");
        });
        (await result.ReadAsJsonAsync<Todo>())!.Title.ShouldStartWith("write on SyncContext #");
    }

    [Fact]
    public async Task A_binding_failure_is_ASP_NET_Cores_own_400()
    {
        await using var host = await StartAsync(app => app.MapGet("/items/{id}", (int id) => id));

        await host.Scenario(s =>
        {
            s.Get.Url("/items/abc");
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task An_async_handler_is_left_where_it_is()
    {
        await using var host = await StartAsync(app => app.MapGet("/async", async () =>
        {
            await Task.Yield();
            return Where();
        }));

        (await host.GetAsText("/async")).ShouldNotStartWith("SyncContext");
    }

    [Fact]
    public async Task The_data_source_keeps_the_original_endpoint_and_routing_hands_on_one_with_the_same_metadata()
    {
        Endpoint? chosen = null;
        await using var host = await StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                chosen = context.GetEndpoint();
                return next(context);
            });
            app.MapGet("/named", Where).WithName("named");
        });

        (await host.GetAsText("/named")).ShouldStartWith("SyncContext #");
        var original = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Single(e => e.RoutePattern.RawText == "/named");
        chosen.ShouldNotBeNull().ShouldNotBeSameAs(original);
        // Each read of a route data source builds its endpoints anew, so the items are compared, not the instances.
        chosen.Metadata.Select(m => m.ToString()).ShouldBe(original.Metadata.Select(m => m.ToString()));
        chosen.DisplayName.ShouldBe(original.DisplayName);
        AutomaticOffloadPolicy.IsSynchronousRouteHandler(original).ShouldBeTrue();
        AutomaticOffloadPolicy.IsSynchronousRouteHandler(chosen).ShouldBeFalse("the offloaded endpoint is never wrapped again");
    }

    [Fact]
    public async Task OffloadSync_without_reflection_runs_the_endpoints_own_delegate_on_the_executor_once()
    {
        var calls = 0;
        await using var host = await StartAsync(app => app.MapGet("/explicit", () =>
        {
            Interlocked.Increment(ref calls);
            return Where();
        }).Finally(RuntimeOffload.RunOnExecutor));

        (await host.GetAsText("/explicit")).ShouldStartWith("SyncContext #");
        calls.ShouldBe(1);
        var endpoint = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.Single(e => e.DisplayName?.Contains("/explicit", StringComparison.Ordinal) == true);
        AutomaticOffloadPolicy.IsSynchronousRouteHandler(endpoint).ShouldBeFalse("the policy must not wrap it a second time");
    }

    [Fact]
    public async Task A_rejected_endpoint_is_answered_503_with_Retry_After()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        await using var host = await TestHosts.StartAsync(
            app => app.MapGet("/block", () =>
            {
                entered.Release();
                gate.Wait(TestHosts.HangGuard);
                return "done";
            }),
            options =>
            {
                options.MinThreads = 1;
                options.MaxThreads = 1;
                options.QueueLimit = 1;
            },
            builder =>
            {
                builder.Services.RemoveAll<MatcherPolicy>();
                builder.Services.AddSingleton<MatcherPolicy>(sp => new AutomaticOffloadPolicy(sp, enabled: true));
            });

        var client = host.Server.CreateClient();
        var running = client.GetAsync("/block");
        (await entered.WaitAsync(TestHosts.HangGuard)).ShouldBeTrue();
        var queued = client.GetAsync("/block");
        await TestHosts.WaitUntilAsync(() => host.Services.GetRequiredService<AspNetCore.Execution.SyncExecutor>().QueueLength == 1, "the second request queued");

        using var rejected = await client.GetAsync("/block");
        gate.Set();

        ((int)rejected.StatusCode).ShouldBe(503);
        rejected.Headers.RetryAfter.ShouldNotBeNull();
        (await (await running).Content.ReadAsStringAsync()).ShouldBe("done");
        (await (await queued).Content.ReadAsStringAsync()).ShouldBe("done");
    }

    public sealed record Todo(int Id, string Title);
}
