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

    public static GeneratorDriver CreateDriver(CSharpCompilation compilation, bool requestDelegateGenerator = false, bool trackSteps = true)
        => CSharpGeneratorDriver.Create(
            [new SyncContextGenerator().AsSourceGenerator()],
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            optionsProvider: new TestOptionsProvider(requestDelegateGenerator ? "true" : null),
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

    private sealed class TestOptionsProvider(string? enableRequestDelegateGenerator) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(enableRequestDelegateGenerator);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

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

internal sealed record GeneratorResult(string? Source, ImmutableArray<Diagnostic> Diagnostics, Compilation Output, GeneratorDriverRunResult Run)
{
    /// <summary>How many calls the generated file intercepts.</summary>
    public int InterceptedCalls => Source is null ? 0 : Source.Split("InterceptsLocation(1,").Length - 1;
}
