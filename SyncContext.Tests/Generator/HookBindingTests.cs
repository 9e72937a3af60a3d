using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncContext.AspNetCore.Generator.Suppression;

namespace SyncContext.Tests.Generator;

/// <summary>
/// The hook methods (<c>UseBeforeRequest</c>, <c>AddAfterRequest</c>, <c>UseStatusCodeHandler</c>, <c>UseBeforeServing</c>,
/// the WebSocket hooks...): the generator binds each delegate it can analyse at compile time, with no reflection, and
/// leaves the rest to the runtime's reflection binder with an info.
/// </summary>
public class HookBindingTests
{
    /// <summary>One call of every hook method, each with a delegate the generator can bind.</summary>
    public static TheoryData<string, string> EveryHookMethod => new()
    {
        { "UseBeforeRequest", """app.UseBeforeRequest((HttpRequest request) => request.Headers.ContainsKey("X-Key") ? null : Results.Unauthorized());""" },
        { "UseAfterRequest", """app.UseAfterRequest((HttpResponse response) => response.Headers["X-After"] = "1");""" },
        { "UseTeardownRequest", """app.UseTeardownRequest((Exception? error, IGreeter greeter) => { _ = greeter.Greet(error?.Message ?? "none"); });""" },
        { "AddBeforeRequest", """app.MapGroup("/g").AddBeforeRequest((HttpContext context, CancellationToken aborted) => (object?)null);""" },
        { "AddAfterRequest", """app.MapGet("/x", () => "x").AddAfterRequest((HttpResponse response) => { });""" },
        { "AddTeardownRequest", """app.MapGroup("/g").AddTeardownRequest(async (InvalidOperationException? error) => await Task.Yield());""" },
        { "UseBeforeWebSocket", """app.UseBeforeWebSocket((System.Security.Claims.ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? null : Results.Unauthorized());""" },
        { "UseAfterWebSocket", """app.UseAfterWebSocket((global::SyncContext.IRequestContext request) => { });""" },
        { "UseTeardownWebSocket", """app.UseTeardownWebSocket((Exception? error) => Task.CompletedTask);""" },
        { "AddBeforeWebSocket", """app.MapGroup("/ws").AddBeforeWebSocket((HttpContext context) => ValueTask.FromResult<object?>(null));""" },
        { "AddAfterWebSocket", """app.MapGroup("/ws").AddAfterWebSocket((HttpContext context) => ValueTask.CompletedTask);""" },
        { "AddTeardownWebSocket", """app.MapGroup("/ws").AddTeardownWebSocket(() => { });""" },
        { "UseStatusCodeHandler(int, Delegate)", """app.UseStatusCodeHandler(404, (HttpRequest request) => $"No page at {request.Path}");""" },
        { "UseStatusCodeHandler(Delegate)", """app.UseStatusCodeHandler((int statusCode, System.Net.HttpStatusCode code, IGreeter? greeter) => Results.Problem(statusCode: statusCode));""" },
        { "UseBeforeFirstRequest", """app.UseBeforeFirstRequest((IGreeter greeter) => greeter.Greet("first"));""" },
        { "UseBeforeServing", """app.UseBeforeServing((global::SyncContext.IAppContext application, CancellationToken stopping) => { });""" },
        { "UseAfterServing", """app.UseAfterServing(async (CancellationToken stopping) => { await Task.Yield(); return 1; });""" },
        { "UseTeardownAppContext", """app.UseTeardownAppContext(() => { });""" },
        { "static call form", """SyncContextRequestHookExtensions.UseBeforeRequest(app, (HttpRequest request) => (IResult?)null);""" },
    };

    [Theory]
    [MemberData(nameof(EveryHookMethod))]
    public void Each_hook_method_is_intercepted_with_a_typed_binder_that_compiles(string method, string statements)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)));

        result.Diagnostics.ShouldBeEmpty(method);
        var hookCalls = method.StartsWith("Add", StringComparison.Ordinal) && statements.Contains("MapGet", StringComparison.Ordinal) ? 2 : 1;
        result.InterceptedCalls.ShouldBe(hookCalls, method);
        result.Source!.ShouldContain("global::SyncContext.AspNetCore.Binding.SyncContextHooks." + method.Split('(')[0].Replace("static call form", "UseBeforeRequest", StringComparison.Ordinal) + "(", Case.Sensitive, method);
        result.Source!.ShouldNotContain("DelegateBinder", Case.Sensitive, method);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void Hooks_of_one_shape_share_a_binder_and_the_output_matches_the_snapshot()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program("""
            app.UseBeforeRequest((HttpRequest request, IGreeter greeter) => request.Headers.ContainsKey("X-Key") ? null : Results.Text(greeter.Greet("key")));
            app.UseBeforeWebSocket((HttpRequest request, IGreeter greeter) => request.Headers.ContainsKey("X-Key") ? null : Results.Text(greeter.Greet("key")));
            app.UseAfterRequest((HttpResponse response) => response.Headers["X-After"] = "1");
            app.UseTeardownRequest((InvalidOperationException? error, CancellationToken token) => { });
            app.UseStatusCodeHandler(404, (int statusCode, HttpContext context) => Task.FromResult("missing " + statusCode));
            app.MapGroup("/g").AddBeforeRequest((global::SyncContext.IRequestContext request) => ValueTask.CompletedTask);
            """)));

        result.Diagnostics.ShouldBeEmpty();
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
        result.InterceptedCalls.ShouldBe(6);
        result.Source!.Split("private static global::SyncContext.AspNetCore.Binding.BoundHook BindHook").Length.ShouldBe(6, "five shapes, five binders");
        Snapshot.Match(result.Source, "Hooks");
    }

    [Theory]
    [InlineData("""Delegate hook = (HttpRequest r) => (IResult?)null; app.UseBeforeRequest(hook);""", "'System.Delegate'")]
    [InlineData("""app.UseBeforeRequest((HttpRequest r, int retries = 3) => (IResult?)null);""", "has no name")]
    [InlineData("""app.UseBeforeRequest(([FromKeyedServices("k")] IGreeter greeter) => (IResult?)null);""", "keyed service")]
    [InlineData("""app.UseBeforeServing((HttpContext context) => { });""", "runs outside one")]
    [InlineData("""app.UseBeforeServing((global::SyncContext.IRequestContext request) => { });""", "runs outside one")]
    [InlineData("""app.UseBeforeRequest((Exception e) => (IResult?)null);""", "not about one")]
    [InlineData("""app.UseBeforeRequest((int code) => (IResult?)null);""", "parameter 'code' of type 'int'")]
    public void Hooks_it_cannot_bind_are_left_to_the_runtime_with_an_info(string statements, string reason)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)));

        result.Source.ShouldBeNull();
        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe("SYNCCTX006");
        diagnostic.Severity.ShouldBe(DiagnosticSeverity.Info);
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldContain(reason, Case.Sensitive, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public async Task The_trimming_warnings_on_an_intercepted_hook_call_are_suppressed_and_stay_on_one_bound_by_reflection()
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program("""
            app.UseBeforeRequest((HttpRequest request) => (IResult?)null);
            app.MapGroup("/g").AddAfterRequest((HttpResponse response) => { });
            app.UseStatusCodeHandler(404, () => "missing");
            Delegate hook = () => { };
            app.UseAfterRequest(hook);
            """));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new SuppressorTests.RequiresUnreferencedCodeStandIn(), new InterceptedCallSuppressor());
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);
        var diagnostics = (await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync()).Where(d => d.Id is "IL2026" or "IL3050").ToList();

        bool About(Diagnostic d, string method) => d.GetMessage(null).Contains("'" + method + "'", StringComparison.Ordinal);
        diagnostics.Where(d => About(d, "UseBeforeRequest") || About(d, "AddAfterRequest") || About(d, "UseStatusCodeHandler")).Count().ShouldBe(6);
        diagnostics.Where(d => About(d, "UseBeforeRequest") || About(d, "AddAfterRequest") || About(d, "UseStatusCodeHandler")).ShouldAllBe(d => d.IsSuppressed);
        diagnostics.Where(d => About(d, "UseAfterRequest")).Count().ShouldBe(2);
        diagnostics.Where(d => About(d, "UseAfterRequest")).ShouldAllBe(d => !d.IsSuppressed);
    }
}
