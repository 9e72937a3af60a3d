using Microsoft.CodeAnalysis;

namespace SyncContext.Tests.Generator;

/// <summary>
/// <c>app.UseExceptionHandler(Delegate)</c>: the generator binds handlers it can analyse at compile time and leaves
/// the rest to the runtime's reflection fallback. The runtime is stubbed in the in-memory source until it is merged.
/// </summary>
public class ExceptionHandlerTests
{
    private static GeneratorResult Run(string statements)
        => GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)));

    [Fact]
    public void Binders_for_each_parameter_source_match_the_snapshot()
    {
        var result = Run("""
            app.UseExceptionHandler((InvalidOperationException exception, HttpContext context, IGreeter greeter, IRequestContext request, IAppContext application, CancellationToken aborted)
                => Results.Problem(greeter.Greet(exception.Message)));
            app.UseExceptionHandler((HttpContext context, IGreeter? greeter) => { context.Response.StatusCode = 500; });
            app.UseExceptionHandler((ArgumentException exception) => exception.Message);
            app.UseExceptionHandler((ArgumentException exception) => exception.ParamName);
            """.Replace("IRequestContext", "global::SyncContext.IRequestContext", StringComparison.Ordinal)
               .Replace("IAppContext", "global::SyncContext.IAppContext", StringComparison.Ordinal));

        result.Diagnostics.ShouldBeEmpty();
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
        result.InterceptedCalls.ShouldBe(4);
        Snapshot.Match(result.Source, "ExceptionHandlers");
    }

    [Theory]
    [InlineData("""Delegate handler = (Exception e) => "x"; app.UseExceptionHandler(handler);""", "'System.Delegate'")]
    [InlineData("""app.UseExceptionHandler((Exception e, int retries = 3) => "x");""", "has no name")]
    [InlineData("""app.UseExceptionHandler((Exception e, InvalidOperationException other) => "x");""", "more than one exception parameter")]
    [InlineData("""app.UseExceptionHandler((Exception e, int code) => "x");""", "parameter 'code' of type 'int'")]
    public void Handlers_it_cannot_analyse_are_left_to_the_runtime_with_an_info(string statements, string reason)
    {
        var result = Run(statements);

        result.Source.ShouldBeNull();
        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe("SYNCCTX005");
        diagnostic.Severity.ShouldBe(DiagnosticSeverity.Info);
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldContain(reason, Case.Sensitive, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void The_static_call_form_is_intercepted()
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program(
            """SyncContextExceptionHandlerExtensions.UseExceptionHandler(app, (ArgumentException exception) => exception.Message);"""));
        var result = GeneratorHarness.Run(compilation);

        result.Diagnostics.ShouldBeEmpty();
        result.InterceptedCalls.ShouldBe(1);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void Async_handlers_are_left_alone()
    {
        var result = Run("""app.UseExceptionHandler(async (Exception e, HttpContext context) => await context.Response.WriteAsync("x"));""");

        result.Source.ShouldBeNull();
        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Without_the_runtime_API_nothing_is_intercepted()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program("""app.UseExceptionHandler(errors => { });""")));

        result.Source.ShouldBeNull();
        result.Diagnostics.ShouldBeEmpty();
    }

    private static readonly string ErrorProgram = GeneratorHarness.Usings + HandlerShapes.Types + """
        namespace TestApp
        {
            public static class App
            {
                public static void ConfigureServices(IServiceCollection services)
                    => services.AddSingleton<IGreeter, Greeter>();

                public static void Configure(WebApplication app)
                {
                    // The outer handler takes what the inner, more specific one lets pass.
                    app.UseExceptionHandler((HttpContext context, IGreeter? greeter) =>
                    {
                        Probe.Here("outer");
                        context.Response.StatusCode = StatusCodes.Status418ImATeapot;
                    });
                    app.UseExceptionHandler((InvalidOperationException exception, HttpContext context, IGreeter greeter, CancellationToken aborted) =>
                    {
                        Probe.Here("inner");
                        return greeter.Greet(exception.Message) + " at " + context.Request.Path + (aborted.CanBeCanceled ? " (abortable)" : "");
                    });
                    app.MapGet("/invalid", string () => throw new InvalidOperationException("invalid"));
                    app.MapGet("/other", string () => throw new ArgumentException("other"));
                }
            }
        }
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Error_handlers_bind_run_on_the_executor_and_answer_alike_with_and_without_the_generator(bool generatorEnabled)
    {
        if (generatorEnabled)
        {
            // Both error handlers and both endpoints are intercepted: the generator's binders answer, not the fallback.
            var generated = GeneratorHarness.Run(GeneratorHarness.Compile(ErrorProgram));
            generated.InterceptedCalls.ShouldBe(4);
            generated.Source!.ShouldContain("SyncContextExceptionHandlers.Use<global::System.InvalidOperationException>");
        }

        await using var app = await CompiledApp.StartAsync(ErrorProgram, generatorEnabled);

        using var invalid = await app.Client.GetAsync(new Uri("/invalid", UriKind.Relative));
        using var other = await app.Client.GetAsync(new Uri("/other", UriKind.Relative));

        ((int)invalid.StatusCode).ShouldBe(500);
        invalid.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await invalid.Content.ReadAsStringAsync()).ShouldBe("Hello invalid at /invalid (abortable)");
        ((int)other.StatusCode).ShouldBe(418);
        (await other.Content.ReadAsStringAsync()).ShouldBeEmpty();
        app.Threads["inner"].ShouldStartWith("SyncContext #");
        app.Threads["outer"].ShouldStartWith("SyncContext #");
    }
}
