using Microsoft.CodeAnalysis;

namespace SyncContext.Tests.Generator;

/// <summary>
/// <c>app.UseExceptionHandler(Delegate)</c>: the generator binds handlers it can analyse at compile time and leaves
/// the rest to the runtime's reflection fallback. The runtime is stubbed in the in-memory source until it is merged.
/// </summary>
public class ExceptionHandlerTests
{
    private static GeneratorResult Run(string statements)
        => GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements), ExceptionHandlerRuntimeStub.Source));

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

    [Fact]
    public async Task The_binder_passes_the_exception_context_and_services_and_turns_void_into_null()
    {
        // A stub runtime that records what the binder hands it, then calls it as the real one would.
        const string recordingRuntime = """
            using Microsoft.Extensions.DependencyInjection;

            namespace SyncContext.AspNetCore.ErrorHandling
            {
                public static class SyncContextExceptionHandlers
                {
                    public static System.Collections.Generic.List<object?> Results { get; } = new();

                    public static Microsoft.AspNetCore.Builder.IApplicationBuilder Use<TException>(
                        Microsoft.AspNetCore.Builder.IApplicationBuilder app,
                        System.Func<Microsoft.AspNetCore.Http.HttpContext, TException, object?> invoke)
                        where TException : System.Exception
                    {
                        var services = new ServiceCollection()
                            .AddSingleton<TestApp.IGreeter, TestApp.Greeter>()
                            .BuildServiceProvider();
                        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = services };
                        var exception = (TException)System.Activator.CreateInstance(typeof(TException), "boom")!;
                        Results.Add(typeof(TException).Name);
                        Results.Add(invoke(context, exception));
                        return app;
                    }
                }
            }

            namespace Microsoft.AspNetCore.Builder
            {
                public static class SyncContextExceptionHandlerExtensions
                {
                    public static IApplicationBuilder UseExceptionHandler(this IApplicationBuilder app, System.Delegate handler) => app;
                }
            }
            """;
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program("""
            app.UseExceptionHandler((InvalidOperationException exception, HttpContext context, IGreeter greeter, CancellationToken aborted)
                => greeter.Greet(exception.Message) + (context.RequestServices is null ? "" : " with services"));
            app.UseExceptionHandler((HttpContext context, IGreeter? greeter) => { });
            """), recordingRuntime);
        var result = GeneratorHarness.Run(compilation);
        result.InterceptedCalls.ShouldBe(2);

        using var image = new MemoryStream();
        var emitted = result.Output.Emit(image);
        emitted.Success.ShouldBeTrue(string.Join(Environment.NewLine, emitted.Diagnostics));
        var assembly = System.Reflection.Assembly.Load(image.ToArray());
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        await using var app = builder.Build();

        assembly.GetType("TestApp.App")!.GetMethod("Configure")!.Invoke(null, [app]);

        var results = (List<object?>)assembly.GetType("SyncContext.AspNetCore.ErrorHandling.SyncContextExceptionHandlers")!.GetProperty("Results")!.GetValue(null)!;
        results.ShouldBe(["InvalidOperationException", "Hello boom with services", "Exception", null]);
    }
}
