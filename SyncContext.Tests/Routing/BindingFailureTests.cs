using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Routing;

/// <summary>Binding failures are RDF's own 400s, answered before, and without, the executor.</summary>
public class BindingFailureTests
{
    private static void Configure(WebApplication app, OffloadMode mode)
    {
        var map = new OffloadMapper(app, mode);
        map.MapPost("/body", (BodyStruct s) => $"{s.Id}");
        map.MapGet("/bound", (BoundStruct s) => s.Value);
        map.MapGet("/int/{id}", (int id) => id);
    }

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Group)]
    [InlineData(OffloadMode.Generated)]
    public async Task Struct_binding_failures_give_the_same_400_as_without_the_package(OffloadMode mode)
    {
        await using var plain = await TestHosts.StartAsync(app => Configure(app, OffloadMode.None));
        await using var offloaded = await TestHosts.StartAsync(app => Configure(app, mode));

        static void EmptyJsonBody(Scenario _)
        {
            _.Post.Text("").ToUrl("/body");
            _.ConfigureHttpContext(ctx => ctx.Request.ContentType = "application/json");
        }

        foreach (var request in new Action<Scenario>[] { EmptyJsonBody, _ => _.Get.Url("/bound") })
        {
            var without = await Observed.OfAsync(plain, request);
            var with = await Observed.OfAsync(offloaded, request);
            without.Status.ShouldBe(400);
            with.ShouldBe(without);
        }
    }

    [Theory]
    [InlineData(OffloadMode.Endpoint)]
    [InlineData(OffloadMode.Group)]
    [InlineData(OffloadMode.Generated)]
    public async Task Binding_failure_is_answered_at_once_while_the_executor_is_saturated(OffloadMode mode)
    {
        using var gate = new ManualResetEventSlim();
        await using var host = await TestHosts.StartAsync(app => Configure(app, mode), options: o =>
        {
            o.MaxThreads = 1;
            o.MinThreads = 1;
            o.QueueLimit = 0;
        });
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        var holding = executor.RunAsync(() => gate.Wait(TestHosts.HangGuard));
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the one worker to be held");

        try
        {
            await host.Scenario(_ =>
            {
                _.Get.Url("/int/abc");
                _.StatusCodeShouldBe(400);
            });

            // The control: a well-formed request does need the executor, and is refused.
            await host.Scenario(_ =>
            {
                _.Get.Url("/int/5");
                _.StatusCodeShouldBe(503);
            });
        }
        finally
        {
            gate.Set();
            await holding.WaitAsync(TestHosts.HangGuard);
        }
    }

    public readonly record struct BodyStruct(int Id);

    public readonly record struct BoundStruct(string Value)
    {
        public static ValueTask<BoundStruct?> BindAsync(HttpContext context) => ValueTask.FromResult<BoundStruct?>(null);
    }
}
