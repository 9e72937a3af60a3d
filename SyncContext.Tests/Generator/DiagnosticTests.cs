using System.Globalization;
using Microsoft.CodeAnalysis;

namespace SyncContext.Tests.Generator;

/// <summary>
/// Where the warnings land and when they are due: at the call in the user's file (so that <c>#pragma</c> and
/// <c>.editorconfig</c> apply), and never for an endpoint an <c>.OffloadSync()</c> in the same method already covers.
/// </summary>
public class DiagnosticTests
{
    private const string RoutePatternCall = """app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), () => "x");""";

    public static TheoryData<string, string> CoveredByOffloadSync => new()
    {
        { "on the endpoint", """app.MapGet("/", () => "x").OffloadSync();""" },
        { "after other conventions", """app.MapGet("/", () => "x").WithName("n").AddEndpointFilter((context, next) => next(context)).OffloadSync();""" },
        { "before other conventions", """app.MapGet("/", () => "x").OffloadSync().WithName("n");""" },
        { "in its static form", """OffloadSyncEndpointConventionBuilderExtensions.OffloadSync(app.MapGet("/", () => "x"));""" },
        { "on an endpoint local", """var endpoint = app.MapGet("/", () => "x"); endpoint.WithName("n"); endpoint.OffloadSync();""" },
        { "on the group in the chain", """app.MapGroup("/g").OffloadSync().MapGet("/", () => "x");""" },
        { "on the group before other conventions", """app.MapGroup("/g").OffloadSync().WithTags("t").MapGet("/", () => "x");""" },
        { "on the group local's initializer", """var group = app.MapGroup("/g").OffloadSync(); group.MapGet("/", () => "x");""" },
        { "on the group local later", """var group = app.MapGroup("/g"); group.MapGet("/", () => "x"); group.WithTags("t").OffloadSync();""" },
        { "on the group local, every value offloaded", """var group = app.MapGroup("/a").OffloadSync(); group = app.MapGroup("/b").OffloadSync(); group.MapGet("/", () => "x");""" },
        { "on an outer group", """var outer = app.MapGroup("/o").OffloadSync(); var inner = outer.MapGroup("/i"); inner.MapGet("/", () => "x");""" },
        { "on an outer group in the chain", """app.MapGroup("/o").OffloadSync().MapGroup("/i").MapGet("/", () => "x");""" },
        { "on the group, static Map form", """var group = app.MapGroup("/g").OffloadSync(); EndpointRouteBuilderExtensions.MapGet(group, "/", () => "x");""" },
        { "on a Delegate-typed endpoint", """Delegate handler = () => "x"; app.MapGet("/", handler).OffloadSync();""" },
        { "inside a lambda of the method", """var group = app.MapGroup("/g").OffloadSync(); Action map = () => group.MapGet("/", () => "x"); map();""" },
    };

    public static TheoryData<string, string> NotCovered => new()
    {
        { "no OffloadSync", """app.MapGet("/", () => "x");""" },
        { "OffloadSync on another endpoint", """app.MapGet("/a", () => "a").OffloadSync(); app.MapGet("/", () => "x");""" },
        { "OffloadSync on another group", """app.MapGroup("/a").OffloadSync(); var group = app.MapGroup("/g"); group.MapGet("/", () => "x");""" },
        { "group local reassigned", """var group = app.MapGroup("/a").OffloadSync(); group = app.MapGroup("/b"); group.MapGet("/", () => "x");""" },
        { "group local reassigned after OffloadSync", """var group = app.MapGroup("/a"); group.OffloadSync(); group = app.MapGroup("/b"); group.MapGet("/", () => "x");""" },
        { "endpoint local reassigned", """var endpoint = app.MapGet("/", () => "x"); endpoint = app.MapGet("/a", () => "a").OffloadSync(); endpoint.OffloadSync();""" },
        { "group local passed by ref", """void Reset(ref RouteGroupBuilder g) { } var group = app.MapGroup("/a").OffloadSync(); Reset(ref group); group.MapGet("/", () => "x");""" },
        { "group from a parameter", """void MapAll(RouteGroupBuilder g) => g.MapGet("/", () => "x"); MapAll(app.MapGroup("/g").OffloadSync());""" },
    };

    [Theory]
    [MemberData(nameof(CoveredByOffloadSync))]
    public void With_the_Request_Delegate_Generator_an_endpoint_covered_by_OffloadSync_is_not_reported(string shape, string statements)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)), requestDelegateGenerator: true);

        result.Diagnostics.ShouldBeEmpty(shape);
        result.Source.ShouldBeNull(shape);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Theory]
    [MemberData(nameof(NotCovered))]
    public void With_the_Request_Delegate_Generator_an_endpoint_not_covered_is_neither_reported_nor_intercepted(string shape, string statements)
    {
        // The runtime offloads it when routing picks it (AutomaticOffloadPolicy): there is nothing to fix.
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)), requestDelegateGenerator: true);

        result.Diagnostics.ShouldBeEmpty(shape);
        result.Source.ShouldBeNull(shape);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void With_the_Request_Delegate_Generator_a_RoutePattern_call_is_not_reported()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(RoutePatternCall)), requestDelegateGenerator: true);

        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Without_the_interceptors_namespace_an_endpoint_covered_by_OffloadSync_is_not_reported()
    {
        var compilation = GeneratorHarness.Compile("TestApp", interceptorsEnabled: false, HandlerShapes.Program(
            """app.MapGroup("/g").OffloadSync().MapGet("/", () => "x"); app.MapGet("/other", () => "y");"""));

        var result = GeneratorHarness.Run(compilation);

        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe("SYNCCTX001");
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan).ShouldContain("/other");
    }

    [Fact]
    public void A_Delegate_typed_handler_is_named_by_its_type_in_the_warning()
    {
        var result = GeneratorHarness.Run(
            GeneratorHarness.Compile("TestApp", interceptorsEnabled: false, HandlerShapes.Program("""Delegate handler = () => "x"; app.MapGet("/", handler);""")));

        result.Diagnostics.ShouldHaveSingleItem().GetMessage(CultureInfo.InvariantCulture)
            .ShouldStartWith("The handler of type 'System.Delegate' (synchronous or not, known only at run time) passed to MapGet is not offloaded");
    }

    public static TheoryData<string, string, bool, bool> EachWarning => new()
    {
        // id, statements, interceptors enabled, Request Delegate Generator
        { "SYNCCTX001", """app.MapGet("/", () => "x");""", false, false },
        { "SYNCCTX004", RoutePatternCall, true, false },
        { "SYNCCTX005", """Delegate handler = (Exception e) => "x"; app.UseExceptionHandler(handler);""", true, false },
    };

    [Theory]
    [MemberData(nameof(EachWarning))]
    public void Each_diagnostic_is_located_in_the_users_file(string id, string statements, bool interceptorsEnabled, bool requestDelegateGenerator)
    {
        var compilation = GeneratorHarness.Compile("TestApp", interceptorsEnabled, HandlerShapes.Program(statements));

        var result = GeneratorHarness.Run(compilation, requestDelegateGenerator);

        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe(id);
        diagnostic.IsSuppressed.ShouldBeFalse();
        diagnostic.Location.IsInSource.ShouldBeTrue();
        diagnostic.Location.SourceTree.ShouldBeSameAs(compilation.SyntaxTrees.First());
    }

    [Theory]
    [MemberData(nameof(EachWarning))]
    public void Pragma_warning_disable_suppresses_each_diagnostic(string id, string statements, bool interceptorsEnabled, bool requestDelegateGenerator)
    {
        var compilation = GeneratorHarness.Compile("TestApp", interceptorsEnabled, HandlerShapes.Program(
            $"\n#pragma warning disable {id}\n{statements}\n#pragma warning restore {id}\n"));

        var result = GeneratorHarness.Run(compilation, requestDelegateGenerator);

        result.Diagnostics.ShouldHaveSingleItem().IsSuppressed.ShouldBeTrue();
        result.Diagnostics.Where(d => !d.IsSuppressed).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("SYNCCTX004")]
    public void Editorconfig_severity_none_silences_a_warning_and_error_raises_it(string id)
    {
        var statements = RoutePatternCall;
        const bool requestDelegateGenerator = false;

        var silenced = GeneratorHarness.Run(
            GeneratorHarness.CompileWithEditorConfig($"root = true\n\n[*.cs]\ndotnet_diagnostic.{id}.severity = none\n", HandlerShapes.Program(statements)),
            requestDelegateGenerator);
        var raised = GeneratorHarness.Run(
            GeneratorHarness.CompileWithEditorConfig($"root = true\n\n[*.cs]\ndotnet_diagnostic.{id}.severity = error\n", HandlerShapes.Program(statements)),
            requestDelegateGenerator);

        silenced.Diagnostics.ShouldBeEmpty();
        var error = raised.Diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe(id);
        error.Severity.ShouldBe(DiagnosticSeverity.Error);
    }
}
