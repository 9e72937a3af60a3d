using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncContext.GeneratorCost;

// Usage: dotnet run -c Release --project benchmarks/SyncContext.GeneratorCost -- [iterations] [--profile] [--floor] [--baseline GENERATOR.dll]
// Each iteration runs each generator once, each on a new compilation and a new driver (a cold run, as a build is),
// rotating which goes first; prints the medians of the driver's per-generator time (what ReportAnalyzer reports).
// --floor adds FloorGenerator (binding the Map calls and nothing else). --baseline adds another build of the SyncContext generator (say, main's), loaded on its own, to compare in the same run.
var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 30;
var baselineAt = Array.IndexOf(args, "--baseline");
const int Warmup = 5;
const int Endpoints = 500;

var references = BenchApp.References();
var program = BenchApp.ProgramSource(Endpoints);
var ours = new Subject(
    "SyncContext",
    new SyncContext.AspNetCore.Generator.SyncContextGenerator(),
    BenchApp.Parse(program, BenchApp.ParseOptions("SyncContext.Generated")),
    new GlobalOptions(new Dictionary<string, string>()));
var rdg = new Subject(
    "RDG",
    LoadRequestDelegateGenerator(),
    BenchApp.Parse(program, BenchApp.ParseOptions("Microsoft.AspNetCore.Http.Generated")),
    new GlobalOptions(new Dictionary<string, string> { ["build_property.EnableRequestDelegateGenerator"] = "true" }));

var subjects = new List<Subject> { ours, rdg };

if (args.Contains("--floor"))
{
    subjects.Add(new Subject("floor", new FloorGenerator(), ours.Trees, new GlobalOptions([])));
}

if (baselineAt >= 0)
{
    subjects.Insert(1, new Subject("baseline", LoadBaseline(args[baselineAt + 1]), ours.Trees, new GlobalOptions([])));
}

var sdk = args.Contains("--sdk");
if (sdk)
{
    // The generators every web build runs beside ours or RDG, in the order csc gets them: a package's analyzers (ours)
    // first, then the shared frameworks' in their FrameworkList.xml order (RDG among them, before the ValidationsGenerator),
    // without the off-by-default configuration binder. In one driver, the first that binds a file pays for the others.
    var frameworks = LoadSdkGenerators();
    var rdgAt = frameworks.FindIndex(static entry => entry.File == "Microsoft.AspNetCore.Http.RequestDelegateGenerator.dll");
    var others = frameworks.Where((_, i) => i != rdgAt).Select(static entry => entry.Generator).ToList();
    subjects.Add(new Subject("SDK alone", new NothingGenerator(), ours.Trees, new GlobalOptions([])));
    foreach (var subject in subjects)
    {
        if (subject == rdg)
        {
            subject.Before.AddRange(frameworks.Take(rdgAt).Select(static entry => entry.Generator));
            subject.After.AddRange(frameworks.Skip(rdgAt + 1).Select(static entry => entry.Generator));
        }
        else if (subject.Name == "SDK alone")
        {
            subject.Before.AddRange(others);
        }
        else
        {
            subject.After.AddRange(others);
        }
    }
}

Console.WriteLine($"Roslyn {typeof(CSharpCompilation).Assembly.GetName().Version}, {Endpoints} endpoints, {references.Length} references, {Warmup} warm-up + {iterations} iterations");
var outputs = new Dictionary<string, string>();
foreach (var subject in subjects)
{
    var check = subject.Run(references);
    outputs[subject.Name] = check.Output;
    Console.WriteLine($"  {subject.Name}: {check.GeneratedSources} generated file(s), {check.GeneratedLength / 1024} KiB, {check.Diagnostics} diagnostic(s)");
}

if (outputs.TryGetValue("baseline", out var baselineOutput))
{
    Console.WriteLine($"  SyncContext output (sources and diagnostics) {(baselineOutput == outputs["SyncContext"] ? "is the same as" : "DIFFERS FROM")} the baseline's");
}

if (args.Contains("--profile"))
{
    Profile.Run(ours, references);
    return;
}

for (var i = 0; i < Warmup + iterations; i++)
{
    for (var j = 0; j < subjects.Count; j++)
    {
        var subject = subjects[(i + j) % subjects.Count];
        var result = subject.Run(references);
        if (i >= Warmup)
        {
            subject.Generator.Add(result.GeneratorMilliseconds);
            subject.Wall.Add(result.WallMilliseconds);
            subject.Total.Add(result.AllGeneratorsMilliseconds);
        }
    }
}

foreach (var subject in subjects)
{
    Console.WriteLine($"{subject.Name,-12} generator time median {Median(subject.Generator),7:F1} ms (p25 {Percentile(subject.Generator, 0.25):F1}, p75 {Percentile(subject.Generator, 0.75):F1}); RunGenerators wall median {Median(subject.Wall):F1} ms{(sdk ? $"; all generators' time median {Median(subject.Total):F1} ms" : string.Empty)}");
}

if (sdk)
{
    var alone = subjects.Single(static subject => subject.Name == "SDK alone");
    foreach (var subject in subjects.Where(subject => subject != alone))
    {
        Console.WriteLine($"{subject.Name} adds to the SDK's generators (medians of all generators' time, with and without it): {Median(subject.Total) - Median(alone.Total):F1} ms");
    }
}

foreach (var subject in subjects.Where(subject => subject != rdg && subject.Name != "SDK alone"))
{
    Console.WriteLine($"ratio {subject.Name}/RDG (medians of generator time): {Median(subject.Generator) / Median(rdg.Generator):F2}");
}

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var position = p * (sorted.Count - 1);
    var low = (int)Math.Floor(position);
    var high = (int)Math.Ceiling(position);
    return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
}

static IIncrementalGenerator LoadRequestDelegateGenerator()
{
    var path = Path.Combine(BenchApp.PackDirectory("Microsoft.AspNetCore.App.Ref"), "analyzers", "dotnet", "cs", "Microsoft.AspNetCore.Http.RequestDelegateGenerator.dll");
    var assembly = System.Reflection.Assembly.LoadFrom(path);
    var type = assembly.GetType("Microsoft.AspNetCore.Http.RequestDelegateGenerator.RequestDelegateGenerator", throwOnError: true)!;
    return (IIncrementalGenerator)Activator.CreateInstance(type)!;
}

static List<(string File, IIncrementalGenerator Generator)> LoadSdkGenerators()
{
    var generators = new List<(string File, IIncrementalGenerator Generator)>();
    foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
    {
        var directory = BenchApp.PackDirectory(pack);
        var list = System.Xml.Linq.XDocument.Load(Path.Combine(directory, "data", "FrameworkList.xml"));
        foreach (var file in list.Descendants("File"))
        {
            if ((string?)file.Attribute("Type") != "Analyzer" || (string?)file.Attribute("Language") != "cs"
                || Path.GetFileName((string)file.Attribute("Path")!) is "Microsoft.Extensions.Configuration.Binder.SourceGeneration.dll")
            {
                continue;
            }

            var path = Path.Combine(directory, (string)file.Attribute("Path")!);
            Type?[] types;
            try
            {
                types = System.Reflection.Assembly.LoadFrom(path).GetTypes();
            }
            catch (System.Reflection.ReflectionTypeLoadException exception)
            {
                types = exception.Types;
            }

            foreach (var type in types)
            {
                if (type is { IsAbstract: false } && typeof(IIncrementalGenerator).IsAssignableFrom(type) && type.GetCustomAttributes(typeof(GeneratorAttribute), false).Length > 0)
                {
                    generators.Add((Path.GetFileName(path), (IIncrementalGenerator)Activator.CreateInstance(type)!));
                }
            }
        }
    }

    return generators;
}

static IIncrementalGenerator LoadBaseline(string path)
{
    // Its own load context: the same assembly name as the generator this project references. Roslyn comes from the default context.
    var context = new System.Runtime.Loader.AssemblyLoadContext("baseline");
    var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
    return (IIncrementalGenerator)Activator.CreateInstance(assembly.GetType("SyncContext.AspNetCore.Generator.SyncContextGenerator", throwOnError: true)!)!;
}

/// <summary>One generator, the trees it is given (parse options differ by interceptor namespace), and its timings.</summary>
internal sealed class Subject(string name, IIncrementalGenerator generator, ImmutableArray<SyntaxTree> trees, AnalyzerConfigOptions globalOptions)
{
    /// <summary>Generators run in the same driver before and after this one (--sdk: those every web build runs).</summary>
    public List<IIncrementalGenerator> Before { get; } = [];

    public List<IIncrementalGenerator> After { get; } = [];

    public List<double> Total { get; } = [];

    public string Name { get; } = name;

    public IIncrementalGenerator GeneratorInstance { get; } = generator;

    public ImmutableArray<SyntaxTree> Trees { get; } = trees;

    public List<double> Generator { get; } = [];

    public List<double> Wall { get; } = [];

    public GeneratorDriver CreateDriver(bool trackSteps)
        => CSharpGeneratorDriver.Create(
            [.. Before.Append(GeneratorInstance).Concat(After).Select(static generator => generator.AsSourceGenerator())],
            parseOptions: (CSharpParseOptions)Trees[0].Options,
            optionsProvider: new OptionsProvider(globalOptions),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public RunResult Run(ImmutableArray<MetadataReference> references)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var compilation = BenchApp.Compile(Trees, references);
        var driver = CreateDriver(trackSteps: false);
        var clock = Stopwatch.StartNew();
        driver = driver.RunGenerators(compilation);
        var wall = clock.Elapsed.TotalMilliseconds;
        var timing = driver.GetTimingInfo();
        var run = driver.GetRunResult();
        var own = timing.GeneratorTimes[Before.Count];
        var result = run.Results[Before.Count];
        return new RunResult(
            own.ElapsedTime.TotalMilliseconds,
            timing.GeneratorTimes.Sum(static time => time.ElapsedTime.TotalMilliseconds),
            wall,
            result.GeneratedSources.Length,
            result.GeneratedSources.Sum(static source => source.SourceText.Length),
            result.Diagnostics.Length,
            string.Join("\n", result.GeneratedSources.Select(static source => source.SourceText.ToString()).Concat(result.Diagnostics.Select(static diagnostic => diagnostic.ToString()))));
    }
}

/// <summary>A generator that does nothing: the last of the driver when only the SDK's generators run.</summary>
internal sealed class NothingGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}

internal readonly record struct RunResult(double GeneratorMilliseconds, double AllGeneratorsMilliseconds, double WallMilliseconds, int GeneratedSources, int GeneratedLength, int Diagnostics, string Output);

internal sealed class OptionsProvider(AnalyzerConfigOptions global) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;
}

internal sealed class GlobalOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
{
    public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
}
