using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SyncContext.GeneratorCost;

/// <summary>
/// Where the SyncContext generator's time goes: the driver's own per-step times (the incremental pipeline's tracked
/// steps), then the semantic-model calls a Map call costs, each timed alone on a new compilation.
/// </summary>
internal static class Profile
{
    private const int Rounds = 7;

    public static void Run(Subject subject, ImmutableArray<MetadataReference> references)
    {
        Console.WriteLine();
        Console.WriteLine($"Pipeline steps (median of {Rounds} cold runs with step tracking on; a step's time includes the semantic work it triggers):");
        var steps = new Dictionary<string, List<double>>();
        for (var round = 0; round < Rounds; round++)
        {
            GC.Collect();
            var compilation = BenchApp.Compile(subject.Trees, references);
            var driver = subject.CreateDriver(trackSteps: true).RunGenerators(compilation);
            var result = driver.GetRunResult().Results[0];
            var sums = new Dictionary<string, double> { ["(generator total)"] = driver.GetTimingInfo().GeneratorTimes[0].ElapsedTime.TotalMilliseconds };
            foreach (var (name, runs) in result.TrackedSteps.Concat(result.TrackedOutputSteps))
            {
                sums[name] = runs.Sum(static step => step.ElapsedTime.TotalMilliseconds);
            }

            foreach (var (name, value) in sums)
            {
                (steps.TryGetValue(name, out var list) ? list : steps[name] = []).Add(value);
            }
        }

        foreach (var (name, values) in steps.OrderByDescending(static pair => Median(pair.Value)))
        {
            Console.WriteLine($"  {name,-32} {Median(values),8:F1} ms");
        }

        OwnWork(subject, references);

        Console.WriteLine();
        Console.WriteLine($"Binding all 500 Map calls from cold, one way or another (interleaved, median of {Rounds * 2}, new compilation each):");
        var ways = new (string Label, bool NoNullable, Func<SemanticModel, InvocationExpressionSyntax, object?> Ask)[]
        {
            ("GetOperation, nullable analysis on (the old parser)", false, static (model, call) => model.GetOperation(call)),
            ("GetOperation, nullable analysis off (the parser now)", true, static (model, call) => model.GetOperation(call)),
            ("GetSymbolInfo, nullable analysis off", true, static (model, call) => model.GetSymbolInfo(call)),
            ("GetSymbolInfo, nullable analysis on", false, static (model, call) => model.GetSymbolInfo(call)),
        };
        var byWay = ways.Select(static _ => new List<double>()).ToArray();
        for (var round = 0; round < Rounds * 2; round++)
        {
            for (var w = 0; w < ways.Length; w++)
            {
                var way = (w + round) % ways.Length;
                GC.Collect();
                var compilation = BenchApp.Compile(subject.Trees, references);
                var tree = compilation.SyntaxTrees[0];
                var calls = MapCalls(tree);
                var clock = Stopwatch.StartNew();
                var model = ways[way].NoNullable ? compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis) : compilation.GetSemanticModel(tree);
                foreach (var call in calls)
                {
                    _ = ways[way].Ask(model, call);
                }

                byWay[way].Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        for (var w = 0; w < ways.Length; w++)
        {
            Console.WriteLine($"  {ways[w].Label,-58} {Median(byWay[w]),8:F1} ms");
        }

        Console.WriteLine();
        Console.WriteLine($"Semantic-model calls on the 500 Map calls, in the order the parser makes them (median of {Rounds}, new compilation each):");
        MeasureFirst("first GetSymbolInfo (of the first Map call)", subject, references, static (model, call) => model.GetSymbolInfo(call));
        MeasureFirst("first GetOperation (of the first Map call)", subject, references, static (model, call) => model.GetOperation(call));
        MeasureFirst("first GetTypeInfo (of the first Map call's receiver)", subject, references, static (model, call) => model.GetTypeInfo(((MemberAccessExpressionSyntax)call.Expression).Expression));
        MeasureFirst("first GetSymbolInfo (of the last Map call)", subject, references, static (model, call) => model.GetSymbolInfo(call), last: true);
        MeasureFirst("first GetSymbolInfo, model without nullable analysis", subject, references, static (model, call) => model.Compilation.GetSemanticModel(model.SyntaxTree, SemanticModelOptions.DisableNullableAnalysis).GetSymbolInfo(call));
        MeasureFirst("first GetOperation, model without nullable analysis", subject, references, static (model, call) => model.Compilation.GetSemanticModel(model.SyntaxTree, SemanticModelOptions.DisableNullableAnalysis).GetOperation(call));
        MeasureFirst("first GetSymbolInfo, app with no Map calls", new Subject("empty", subject.GeneratorInstance, BenchApp.Parse(BenchApp.ProgramSource(0), (CSharpParseOptions)subject.Trees[0].Options), new GlobalOptions([])), references, static (model, _) => model.GetSymbolInfo(model.SyntaxTree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().First()));
        Measure("no nullable analysis: GetSymbolInfo on all (from cold)", subject, references, static (model, call) => model.GetSymbolInfo(call), fromCold: true, noNullable: true);
        Measure("no nullable analysis: GetOperation on all (from cold)", subject, references, static (model, call) => model.GetOperation(call), fromCold: true, noNullable: true);
        Measure("no nullable analysis: GetSymbolInfo, then GetOperation", subject, references, static (model, call) => model.GetSymbolInfo(call), static (model, call) => model.GetOperation(call), fromCold: true, noNullable: true);
        Measure("GetSymbolInfo(invocation) first (binds each statement)", subject, references, static (model, call) => model.GetSymbolInfo(call));
        Measure("GetOperation(invocation) first (binds + operation tree)", subject, references, static (model, call) => model.GetOperation(call));
        Measure("GetSymbolInfo, then GetOperation (operation tree alone)", subject, references, static (model, call) => model.GetSymbolInfo(call), static (model, call) => model.GetOperation(call));
        Measure("GetSymbolInfo, then GetInterceptableLocation", subject, references, static (model, call) => model.GetSymbolInfo(call), static (model, call) => model.GetInterceptableLocation(call));
        Measure("GetSymbolInfo, then GetLocation().GetLineSpan() x2", subject, references, static (model, call) => model.GetSymbolInfo(call), static (_, call) => (call.GetLocation().GetLineSpan(), ((MemberAccessExpressionSyntax)call.Expression).Name.GetLocation().GetLineSpan()));
        Measure("GetTypeInfo(receiver) first (binds each statement too)", subject, references, static (model, call) => model.GetTypeInfo(((MemberAccessExpressionSyntax)call.Expression).Expression));
    }

    /// <summary>The generator's own work once the calls are bound (as when another generator asked first), stage by stage.</summary>
    private static void OwnWork(Subject subject, ImmutableArray<MetadataReference> references)
    {
        Console.WriteLine();
        Console.WriteLine($"The generator's own work on calls already bound (median of {Rounds * 2}, new compilation each):");
        var stages = new Dictionary<string, List<double>>();
        void Add(string stage, double milliseconds) => (stages.TryGetValue(stage, out var list) ? list : stages[stage] = []).Add(milliseconds);
        for (var round = 0; round < Rounds * 2; round++)
        {
            GC.Collect();
            var compilation = BenchApp.Compile(subject.Trees, references);
            var tree = compilation.SyntaxTrees[0];
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            foreach (var call in MapCalls(tree))
            {
                _ = model.GetOperation(call);
            }

            var clock = Stopwatch.StartNew();
            var candidates = new List<InvocationExpressionSyntax>();
            var others = 0;
            foreach (var node in root.DescendantNodes())
            {
                if (SyncContext.AspNetCore.Generator.Parsing.MapCallParser.IsCandidate(node, default))
                {
                    candidates.Add((InvocationExpressionSyntax)node);
                }

                others += SyncContext.AspNetCore.Generator.Parsing.HookCallParser.IsCandidate(node, default) ? 1 : 0;
                others += SyncContext.AspNetCore.Generator.Parsing.ExceptionHandlerParser.IsCandidate(node, default) ? 1 : 0;
            }

            Add("syntax predicates over the tree (3 parsers)", clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var calls = new List<SyncContext.AspNetCore.Generator.Model.MapCall>();
            foreach (var candidate in candidates)
            {
                if (SyncContext.AspNetCore.Generator.Parsing.MapCallParser.Parse(candidate, model, default) is { Call: { } call })
                {
                    calls.Add(call);
                }
            }

            Add("MapCallParser.Parse, 500 calls", clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            foreach (var candidate in candidates)
            {
                _ = model.GetOperation(candidate);
            }

            Add("  of which GetOperation (bound already)", clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            foreach (var candidate in candidates)
            {
                _ = SyncContext.AspNetCore.Generator.Parsing.SymbolExtensions.ToInterceptSite(model, candidate, default);
            }

            Add("  of which ToInterceptSite", clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var source = SyncContext.AspNetCore.Generator.Emitting.InterceptorEmitter.Emit(calls, [], []);
            Add($"InterceptorEmitter.Emit ({source.Length / 1024} KiB)", clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var array = new SyncContext.AspNetCore.Generator.Model.EquatableArray<SyncContext.AspNetCore.Generator.Model.MapCall>([.. calls]);
            _ = array.Equals(new SyncContext.AspNetCore.Generator.Model.EquatableArray<SyncContext.AspNetCore.Generator.Model.MapCall>([.. calls]));
            _ = array.GetHashCode();
            Add("comparing the collected calls (the driver's cache check)", clock.Elapsed.TotalMilliseconds);
            GC.KeepAlive(others);
        }

        foreach (var (stage, values) in stages)
        {
            Console.WriteLine($"  {stage,-58} {Median(values),8:F2} ms");
        }
    }

    private static void MeasureFirst(string label, Subject subject, ImmutableArray<MetadataReference> references, Func<SemanticModel, InvocationExpressionSyntax, object?> call, bool last = false)
    {
        var times = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            GC.Collect();
            var compilation = BenchApp.Compile(subject.Trees, references);
            var tree = compilation.SyntaxTrees[0];
            var calls = MapCalls(tree);
            var clock = Stopwatch.StartNew();
            var model = compilation.GetSemanticModel(tree);
            _ = call(model, calls.Count == 0 ? null! : last ? calls[^1] : calls[0]);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"  {label,-58} {Median(times),8:F1} ms");
    }

    private static List<InvocationExpressionSyntax> MapCalls(SyntaxTree tree)
        => tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(static call => call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "MapGet" or "MapPost" })
            .ToList();

    private static void Measure(string label, Subject subject, ImmutableArray<MetadataReference> references, Func<SemanticModel, InvocationExpressionSyntax, object?> first, Func<SemanticModel, InvocationExpressionSyntax, object?>? second = null, bool fromCold = false, bool noNullable = false)
    {
        var times = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            GC.Collect();
            var compilation = BenchApp.Compile(subject.Trees, references);
            var tree = compilation.SyntaxTrees[0];
            var calls = MapCalls(tree);
            var model = noNullable ? compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis) : compilation.GetSemanticModel(tree);
            var clock = Stopwatch.StartNew();
            if (!fromCold)
            {
                // What a generator pays before its first Map call: with nullable analysis on, binding the whole method.
                _ = model.GetSymbolInfo(calls[0]);
                clock.Restart();
            }

            if (second is null)
            {
                foreach (var call in calls)
                {
                    _ = first(model, call);
                }
            }
            else
            {
                foreach (var call in calls)
                {
                    _ = first(model, call);
                }

                Console.Write($"  ({clock.Elapsed.TotalMilliseconds:F0} ms before) ");
                clock.Restart();
                foreach (var call in calls)
                {
                    _ = second(model, call);
                }
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"  {label,-58} {Median(times),8:F1} ms ({Median(times) * 1000 / 500:F0} us a call)");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
