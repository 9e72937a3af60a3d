using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncContext.AspNetCore.Generator;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Generator;

/// <summary>Compiles C# source in memory against ASP.NET Core and SyncContext, with or without the generator.</summary>
internal static class GeneratorHarness
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.DependencyInjection;

        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static CSharpParseOptions ParseOptions(bool interceptorsEnabled = true)
    {
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        return interceptorsEnabled
            ? options.WithFeatures([new("InterceptorsNamespaces", "SyncContext.Generated")])
            : options;
    }

    public static CSharpCompilation Compile(string assemblyName, bool interceptorsEnabled, params string[] sources)
    {
        var parseOptions = ParseOptions(interceptorsEnabled);
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: i == 0 ? "Program.cs" : $"File{i}.cs"));
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static CSharpCompilation Compile(params string[] sources) => Compile("TestApp", interceptorsEnabled: true, sources);

    /// <summary>
    /// Compiles <paramref name="source"/> as <c>/app/Program.cs</c> beside <c>/app/.editorconfig</c>, the way the build
    /// passes one: its severities reach the compilation (which filters every diagnostic, generators' too), and its
    /// options reach the generator.
    /// </summary>
    public static CSharpCompilation CompileWithEditorConfig(string editorConfig, string source)
    {
        var config = AnalyzerConfigSet.Create(ImmutableArray.Create(AnalyzerConfig.Parse(editorConfig, "/app/.editorconfig")));
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions(), path: "/app/Program.cs");
        var treeOptions = new EditorConfigOptions(config, [tree]);
        return CSharpCompilation.Create(
            "TestApp",
            [tree],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSyntaxTreeOptionsProvider(treeOptions));
    }

    public static GeneratorDriver CreateDriver(CSharpCompilation compilation, bool requestDelegateGenerator = false, bool trackSteps = true)
        => CSharpGeneratorDriver.Create(
            [new SyncContextGenerator().AsSourceGenerator()],
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            optionsProvider: new TestOptionsProvider(requestDelegateGenerator ? "true" : null, compilation.Options.SyntaxTreeOptionsProvider as EditorConfigOptions),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns what it produced and the compilation with its output added.</summary>
    public static GeneratorResult Run(CSharpCompilation compilation, bool requestDelegateGenerator = false)
    {
        var driver = CreateDriver(compilation, requestDelegateGenerator)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        var source = run.GeneratedTrees.SingleOrDefault()?.ToString();
        return new GeneratorResult(source, generatorDiagnostics, output, run);
    }

    public static GeneratorResult Run(string source, bool requestDelegateGenerator = false, bool interceptorsEnabled = true)
        => Run(Compile("TestApp", interceptorsEnabled, Usings + source), requestDelegateGenerator);

    /// <summary>The <c>[InterceptsLocation]</c> data of every Map call in <paramref name="compilation"/>, as the generator would write it.</summary>
    public static List<string> InterceptableLocations(CSharpCompilation compilation)
        => [.. compilation.SyntaxTrees.SelectMany(tree =>
        {
            var model = compilation.GetSemanticModel(tree);
            return tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
                .Where(invocation => SyncContext.AspNetCore.Generator.Parsing.MapCallParser.IsCandidate(invocation, CancellationToken.None)
                    && model.GetSymbolInfo(invocation).Symbol?.ContainingType.Name == "EndpointRouteBuilderExtensions")
                .Select(invocation => $"InterceptsLocation(1, \"{model.GetInterceptableLocation(invocation)!.Data}\")");
        })];

    public static void ShouldCompileWithoutErrors(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        errors.ShouldBeEmpty(string.Join(Environment.NewLine, errors));
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The test host runs on the shared frameworks (NETCore.App, AspNetCore.App): compile against the same files.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is var name
                && (name.StartsWith("System.", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                    || name is "Microsoft.Net.Http.Headers.dll" or "Microsoft.Win32.Primitives.dll" or "mscorlib.dll" or "netstandard.dll"))
            .Append(typeof(SyncContextEndpoints).Assembly.Location)
            .Append(typeof(IRunSync).Assembly.Location)
            .DistinctBy(Path.GetFileName);
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    private sealed class TestOptionsProvider(string? enableRequestDelegateGenerator, EditorConfigOptions? editorConfig) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(enableRequestDelegateGenerator);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => (AnalyzerConfigOptions?)editorConfig?.AnalyzerOptions(tree) ?? Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(string? enableRequestDelegateGenerator) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(null);

            public override bool TryGetValue(string key, out string value)
            {
                value = enableRequestDelegateGenerator ?? string.Empty;
                return key == "build_property.EnableRequestDelegateGenerator" && enableRequestDelegateGenerator is not null;
            }
        }
    }
}

/// <summary>
/// What csc makes of an <c>.editorconfig</c>, for the in-memory compilation: per file, the
/// <c>dotnet_diagnostic.ID.severity</c> entries (the compilation's tree options) and the other keys (the generator's options).
/// </summary>
internal sealed class EditorConfigOptions : SyntaxTreeOptionsProvider
{
    private readonly Dictionary<SyntaxTree, AnalyzerConfigOptionsResult> _results;
    private readonly AnalyzerConfigOptionsResult _global;

    public EditorConfigOptions(AnalyzerConfigSet config, IEnumerable<SyntaxTree> trees)
    {
        _results = trees.ToDictionary(tree => tree, tree => config.GetOptionsForSourcePath(tree.FilePath));
        _global = config.GlobalConfigOptions;
    }

    public DictionaryOptions AnalyzerOptions(SyntaxTree tree) => new(_results.TryGetValue(tree, out var result) ? result.AnalyzerOptions : _global.AnalyzerOptions);

    public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

    public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
    {
        severity = ReportDiagnostic.Default;
        return _results.TryGetValue(tree, out var result) && result.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        => _global.TreeOptions.TryGetValue(diagnosticId, out severity);

    internal sealed class DictionaryOptions(ImmutableDictionary<string, string> options) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => options.TryGetValue(key, out value);
    }
}

internal sealed record GeneratorResult(string? Source, ImmutableArray<Diagnostic> Diagnostics, Compilation Output, GeneratorDriverRunResult Run)
{
    /// <summary>How many calls the generated file intercepts.</summary>
    public int InterceptedCalls => Source is null ? 0 : Source.Split("InterceptsLocation(1,").Length - 1;
}
