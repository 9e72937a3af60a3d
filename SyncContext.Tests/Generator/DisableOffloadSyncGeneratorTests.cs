namespace SyncContext.Tests.Generator;

/// <summary>The generator honours <c>[DisableOffloadSync]</c> at compile time: that call is left as ASP.NET Core's own.</summary>
public class DisableOffloadSyncGeneratorTests
{
    public static TheoryData<string, string> OptedOut => new()
    {
        { "attribute on a lambda", """app.MapGet("/", [DisableOffloadSync] () => "x");""" },
        { "attribute on a static lambda with parameters", """app.MapGet("/{id:int}", [DisableOffloadSync] static (int id) => id);""" },
        { "attribute on a method group", """app.MapGet("/", Inline.Handler);""" },
        { "attribute on a local function", """[DisableOffloadSync] string Local() => "x"; app.MapGet("/", Local);""" },
    };

    private const string InlineHandlers = GeneratorHarness.Usings + """
        using SyncContext.AspNetCore.Routing;

        namespace TestApp
        {
            public static class Inline
            {
                [DisableOffloadSync]
                public static string Handler() => "x";
            }
        }
        """;

    [Theory]
    [MemberData(nameof(OptedOut))]
    public void A_handler_with_the_attribute_is_not_intercepted(string shape, string statements)
    {
        var program = HandlerShapes.Program(statements).Replace("using Microsoft.Extensions.DependencyInjection;", "using Microsoft.Extensions.DependencyInjection;\nusing SyncContext.AspNetCore.Routing;", StringComparison.Ordinal);
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(program, InlineHandlers));

        result.InterceptedCalls.ShouldBe(0, shape);
        result.Diagnostics.ShouldBeEmpty(shape);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void Only_the_call_with_the_attribute_is_left_alone()
    {
        var program = HandlerShapes.Program("""
            app.MapGet("/offloaded", () => "x");
            app.MapGet("/inline", [global::SyncContext.AspNetCore.Routing.DisableOffloadSync] () => "x");
            app.MapGet("/convention", () => "x").DisableOffloadSync();
            """);
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(program));

        // The convention is read at run time, from the endpoint's metadata: its call is intercepted, and the runtime keeps it inline.
        result.InterceptedCalls.ShouldBe(2);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public async Task A_compiled_app_keeps_the_attributed_handler_on_the_request_thread()
    {
        await using var app = await CompiledApp.StartAsync(GeneratorHarness.Usings + HandlerShapes.Types + """
            namespace TestApp
            {
                public static class App
                {
                    public static void ConfigureServices(IServiceCollection services)
                    {
                    }

                    public static void Configure(WebApplication app)
                    {
                        app.MapGet("/offloaded", () => { Probe.Here("offloaded"); return "x"; })/*OFFLOAD*/;
                        app.MapGet("/inline", [global::SyncContext.AspNetCore.Routing.DisableOffloadSync] () => { Probe.Here("inline"); return "x"; })/*OFFLOAD*/;
                        app.MapGet("/convention", () => { Probe.Here("convention"); return "x"; })/*OFFLOAD*/.DisableOffloadSync();
                    }
                }
            }
            """, generatorEnabled: true);

        (await app.Client.GetStringAsync(new Uri("/offloaded", UriKind.Relative))).ShouldBe("x");
        (await app.Client.GetStringAsync(new Uri("/inline", UriKind.Relative))).ShouldBe("x");
        (await app.Client.GetStringAsync(new Uri("/convention", UriKind.Relative))).ShouldBe("x");

        app.Threads["offloaded"].ShouldStartWith("SyncContext #");
        app.Threads["inline"].ShouldNotStartWith("SyncContext #");
        app.Threads["convention"].ShouldNotStartWith("SyncContext #");
    }
}
