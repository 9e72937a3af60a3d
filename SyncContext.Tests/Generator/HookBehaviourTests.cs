using System.Reflection;

namespace SyncContext.Tests.Generator;

/// <summary>
/// Hooks bound by the generator behave as the ones the runtime binds by reflection: the same app, compiled with the
/// generator (typed binders) and without it (reflection), gives the same answers, and its sync hooks run on the executor.
/// </summary>
public class HookBehaviourTests
{
    private static readonly string HookProgram = GeneratorHarness.Usings + HandlerShapes.Types + """
        namespace TestApp
        {
            public interface IMissing
            {
            }

            public static class App
            {
                public static void ConfigureServices(IServiceCollection services)
                    => services.AddSingleton<IGreeter, Greeter>();

                public static void Configure(WebApplication app)
                {
                    app.UseStatusCodeHandler(404, (int statusCode, HttpRequest request) =>
                    {
                        Probe.Here("status");
                        return $"{statusCode}: no page at {request.Path}";
                    });
                    app.UseBeforeRequest((HttpRequest request, IGreeter greeter) =>
                    {
                        Probe.Here("before");
                        return request.Query.ContainsKey("deny") ? Results.Text(greeter.Greet("denied"), statusCode: 403) : null;
                    });
                    app.UseBeforeRequest(async (HttpContext context) =>
                    {
                        Probe.Here("async before");
                        await Task.Yield();
                        return (object?)null;
                    });
                    app.UseAfterRequest((HttpResponse response, CancellationToken aborted) =>
                    {
                        Probe.Here("after");
                        response.Headers["X-After"] = aborted.CanBeCanceled ? "abortable" : "not abortable";
                    });
                    app.UseTeardownRequest((Exception? error, IGreeter? greeter) => Probe.Here("teardown"));
                    app.MapGroup("/g")
                        .AddBeforeRequest((HttpResponse response) =>
                        {
                            Probe.Here("group before");
                            response.Headers["X-Group"] = "g";
                        })
                        .MapGet("/ok", () => "group ok");
                    app.MapGet("/hello", () => "hello");
                }
            }
        }
        """;

    private static readonly string MissingServiceProgram = GeneratorHarness.Usings + HandlerShapes.Types + """
        namespace TestApp
        {
            public interface IMissing
            {
            }

            public static class App
            {
                public static void ConfigureServices(IServiceCollection services)
                {
                }

                public static void Configure(WebApplication app)
                    => app.UseBeforeRequest((HttpRequest request, IMissing missing) => (IResult?)null);
            }
        }
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Hooks_answer_alike_and_run_on_the_executor_with_and_without_the_generator(bool generatorEnabled)
    {
        if (generatorEnabled)
        {
            // Every hook call is intercepted (and both MapGet calls): the typed binders answer, not reflection.
            var generated = GeneratorHarness.Run(GeneratorHarness.Compile(HookProgram));
            generated.Diagnostics.ShouldBeEmpty();
            generated.InterceptedCalls.ShouldBe(8);
            generated.Source!.ShouldContain("SyncContextHooks.UseStatusCodeHandler(app, statusCode, BindHook");
        }

        await using var app = await CompiledApp.StartAsync(HookProgram, generatorEnabled);

        using var hello = await app.Client.GetAsync(new Uri("/hello", UriKind.Relative));
        (await hello.Content.ReadAsStringAsync()).ShouldBe("hello");
        hello.Headers.GetValues("X-After").ShouldBe(["abortable"]);

        using var denied = await app.Client.GetAsync(new Uri("/hello?deny=1", UriKind.Relative));
        ((int)denied.StatusCode).ShouldBe(403);
        (await denied.Content.ReadAsStringAsync()).ShouldBe("Hello denied");

        using var missing = await app.Client.GetAsync(new Uri("/missing", UriKind.Relative));
        ((int)missing.StatusCode).ShouldBe(404);
        missing.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; charset=utf-8");
        (await missing.Content.ReadAsStringAsync()).ShouldBe("404: no page at /missing");

        using var group = await app.Client.GetAsync(new Uri("/g/ok", UriKind.Relative));
        (await group.Content.ReadAsStringAsync()).ShouldBe("group ok");
        group.Headers.GetValues("X-Group").ShouldBe(["g"]);

        await TestHosts.WaitUntilAsync(() => app.Threads.ContainsKey("teardown"), "the teardown hook ran");
        foreach (var hook in new[] { "before", "after", "status", "group before", "teardown" })
        {
            app.Threads[hook].ShouldStartWith("SyncContext #", customMessage: hook);
        }

        app.Threads["async before"].ShouldNotStartWith("SyncContext #");
    }

    [Fact]
    public async Task A_missing_service_fails_when_the_hook_is_added_with_the_same_message_in_both_modes()
    {
        var generated = GeneratorHarness.Run(GeneratorHarness.Compile(MissingServiceProgram));
        generated.InterceptedCalls.ShouldBe(1);

        var withGenerator = await Should.ThrowAsync<TargetInvocationException>(() => CompiledApp.StartAsync(MissingServiceProgram, generatorEnabled: true));
        var withReflection = await Should.ThrowAsync<TargetInvocationException>(() => CompiledApp.StartAsync(MissingServiceProgram, generatorEnabled: false));

        withGenerator.InnerException.ShouldBeOfType<InvalidOperationException>();
        withGenerator.InnerException!.Message.ShouldBe(withReflection.InnerException!.Message);
        withGenerator.InnerException.Message.ShouldContain("parameter 'missing' of type IMissing");
    }
}
