using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using SyncContext.AspNetCore.Generator;

namespace SyncContext.Tests.Generator;

/// <summary>The pipeline caches across edits, and holds no compiler object that would pin a compilation.</summary>
public class IncrementalityTests
{
    private const string ProgramSource = """
        app.MapGet("/a", () => "a");
        app.MapPost("/todos", (Todo todo) => todo);
        app.MapGet("/async", async () => { await Task.Yield(); return "x"; });
        Delegate unknown = () => "x";
        app.MapGet("/unknown", unknown);
        app.UseExceptionHandler((InvalidOperationException exception, HttpContext context) => "handled");
        app.UseExceptionHandler((Delegate)unknown);
        app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/pattern"), () => "x");
        EndpointRouteBuilderExtensions.MapGet(app, "/static", () => "x");
        var group = app.MapGroup("/g").OffloadSync();
        group.MapGet("/covered", () => "x");
        """;

    private static readonly string[] s_trackedSteps =
    [
        TrackingNames.Settings,
        TrackingNames.MapCalls,
        TrackingNames.ExceptionHandlerCalls,
        TrackingNames.Diagnostics,
        TrackingNames.InterceptableMapCalls,
        TrackingNames.InterceptableExceptionHandlers,
        TrackingNames.Interceptors,
    ];

    [Fact]
    public void An_unrelated_edit_leaves_every_tracked_step_cached()
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program(ProgramSource), "namespace TestApp { public class Unrelated { } }");
        var driver = GeneratorHarness.CreateDriver(compilation).RunGenerators(compilation);
        var first = driver.GetRunResult();

        // Edit a file with no Map call: add a member to another class.
        var unrelated = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(
            "namespace TestApp { public class Unrelated { public int Added => 1; } }", (CSharpParseOptions)unrelated.Options, unrelated.FilePath));
        var second = driver.RunGenerators(edited).GetRunResult();

        second.GeneratedTrees.Single().ToString().ShouldBe(first.GeneratedTrees.Single().ToString());
        var steps = second.Results.Single().TrackedSteps;
        foreach (var name in s_trackedSteps)
        {
            steps.ShouldContainKey(name);
            var reasons = steps[name].SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
            reasons.ShouldNotBeEmpty(name);
            reasons.ShouldAllBe(reason => reason == IncrementalStepRunReason.Cached || reason == IncrementalStepRunReason.Unchanged, name);
        }

        // The generated file's output is cached. Only the output that reports the (cached) diagnostics reruns: it locates
        // them in the new compilation's trees, so #pragma and .editorconfig apply.
        var outputs = second.Results.Single().TrackedOutputSteps.SelectMany(step => step.Value).ToList();
        var interceptorOutput = outputs.Single(step => FeedsFrom(step, TrackingNames.Interceptors));
        interceptorOutput.Outputs.ShouldAllBe(output => output.Reason == IncrementalStepRunReason.Cached);
        outputs.Where(step => step != interceptorOutput).ShouldAllBe(step => FeedsFrom(step, TrackingNames.Diagnostics));
        second.Diagnostics.Select(d => d.Id).ShouldBe(new[] { "SYNCCTX005", "SYNCCTX004" }, ignoreOrder: true);
    }

    private static bool FeedsFrom(IncrementalGeneratorRunStep step, string name)
        => step.Name == name || step.Inputs.Any(input => FeedsFrom(input.Source, name));

    [Fact]
    public void An_edit_to_a_Map_call_reruns_the_pipeline()
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program(ProgramSource));
        var driver = GeneratorHarness.CreateDriver(compilation).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(
            HandlerShapes.Program(ProgramSource + "\napp.MapPut(\"/b\", () => \"b\");"), (CSharpParseOptions)tree.Options, tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult();

        result.Results.Single().TrackedSteps[TrackingNames.Interceptors].Single().Outputs.Single().Reason.ShouldBe(IncrementalStepRunReason.Modified);
        result.GeneratedTrees.Single().ToString().ShouldContain("MapPut(");
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_operation_location_or_diagnostic()
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program(ProgramSource));
        var result = GeneratorHarness.CreateDriver(compilation).RunGenerators(compilation).GetRunResult().Results.Single();

        result.TrackedSteps[TrackingNames.ExceptionHandlerCalls].SelectMany(step => step.Outputs).ShouldNotBeEmpty();
        // Only this generator's named steps: the driver's own SourceOutput step holds the reported diagnostics.
        foreach (var (name, steps) in result.TrackedSteps.Where(step => s_trackedSteps.Contains(step.Key)))
        {
            foreach (var output in steps.SelectMany(step => step.Outputs))
            {
                ShouldHoldNoCompilerObjects(output.Value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void ShouldHoldNoCompilerObjects(object? value, string step, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || (!value.GetType().IsValueType && !visited.Add(value)))
        {
            return;
        }

        var forbidden = value is ISymbol or SyntaxNode or IOperation or Location or Diagnostic or SemanticModel or Compilation;
        forbidden.ShouldBeFalse($"Step '{step}' holds a {value.GetType().FullName}.");

        if (value.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>)
            && (bool)type.GetProperty(nameof(System.Collections.Immutable.ImmutableArray<int>.IsDefault))!.GetValue(value)!)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                ShouldHoldNoCompilerObjects(item, step, visited);
            }

            return;
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            ShouldHoldNoCompilerObjects(field.GetValue(value), step, visited);
        }
    }
}
