using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using SyncContext.Tests.Generator;

namespace SyncContext.Tests.Fidelity;

/// <summary>One request of one shape, under the id its handler records its thread with.</summary>
internal sealed record Exchange(Shape Shape, FidelityRequest Request, string Id)
{
    public override string ToString() => $"{Shape} {Request}";
}

/// <summary>
/// The whole suite's run, done once: the shapes' app compiled twice (plain, and with the interceptor
/// generator), started in three modes by two environments, every request sent to every app, concurrently.
/// The tests then only read the answers.
/// </summary>
public sealed class FidelityRun : IAsyncLifetime
{
    public static readonly string[] Environments = ["Production", "Development"];

    private readonly List<FidelityApp> _apps = [];

    internal IReadOnlyList<Shape> Shapes { get; } = FidelityShapes.All;

    /// <summary>
    /// The shapes the generator mode runs. Compiling all of them with the generator doubles the suite's cost
    /// (the compile is most of it), so CI runs a representative subset: the first shape of every family, every
    /// sixth one, all re-execution, async and synchronous-I/O shapes, and the shapes of the known differences.
    /// <c>FIDELITY_GENERATOR_ALL=1</c> runs every shape in that mode too.
    /// </summary>
    internal HashSet<Shape> GeneratorShapes { get; } = [.. FidelityShapes.All.Where((shape, i) =>
        System.Environment.GetEnvironmentVariable("FIDELITY_GENERATOR_ALL") == "1"
        || i % 6 == 0
        || FidelityShapes.All[i == 0 ? 0 : i - 1].Family != shape.Family
        || shape.Family is "rx" or "async" or "sync-io"
        || shape.ToString() is "returns/string-null" or "query/nullable-string-echo" or "results/iresult-null"
            or "body/record-struct" or "body/struct" or "binders/bindasync-struct" or "sequences/lazy-select" or "sequences/async-enumerable")];

    /// <summary>Whether <paramref name="app"/> was sent <paramref name="exchange"/> (the generator mode runs a subset).</summary>
    internal bool Ran(FidelityApp app, Exchange exchange) => app.Mode != FidelityMode.Generator || GeneratorShapes.Contains(exchange.Shape);

    internal IReadOnlyList<Exchange> Exchanges { get; private set; } = [];

    /// <summary>The answers of each app, in the order of <see cref="Exchanges"/>.</summary>
    internal Dictionary<FidelityApp, Answer[]> Answers { get; } = [];

    internal IReadOnlyList<FidelityApp> Apps => _apps;

    /// <summary>How many <c>Map*</c> calls the generator intercepted in the compiled app.</summary>
    internal int InterceptedCalls { get; private set; }

    internal string Timings { get; private set; } = string.Empty;

    internal FidelityApp App(FidelityMode mode, string environment) => _apps.Single(app => app.Mode == mode && app.Environment == environment);

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        string Cpu() => $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU";
        Exchanges = [.. Shapes.SelectMany((shape, s) => shape.Requests.Select((request, r) => new Exchange(shape, request, $"{s}.{r}")))];
        var source = FidelityProgram.Source(Shapes);
        var generatorSource = FidelityProgram.Source(Shapes, i => GeneratorShapes.Contains(Shapes[i]));

        var plainAssembly = Task.Run(() => Load(GeneratorHarness.Compile("Fidelity.Plain", interceptorsEnabled: true, source)));
        var generatedAssembly = Task.Run(() =>
        {
            var result = GeneratorHarness.Run(GeneratorHarness.Compile("Fidelity.Generated", interceptorsEnabled: true, generatorSource));
            result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
            InterceptedCalls = result.InterceptedCalls;
            return Load(result.Output);
        });
        var (plain, generated) = (await plainAssembly, await generatedAssembly);
        var compiled = $"{clock.Elapsed.TotalSeconds:F1} s ({Cpu()})";

        // Each app's first request builds its endpoints; the apps do it side by side.
        _apps.AddRange(await Task.WhenAll(Environments.SelectMany(environment => new[]
        {
            FidelityApp.StartAsync(plain, Shapes, FidelityMode.Plain, environment),
            FidelityApp.StartAsync(plain, Shapes, FidelityMode.Runtime, environment),
            FidelityApp.StartAsync(generated, Shapes, FidelityMode.Generator, environment),
        })));

        var started = $"{clock.Elapsed.TotalSeconds:F1} s ({Cpu()})";
        var answers = await Task.WhenAll(_apps.Select(SendAllAsync));
        for (var i = 0; i < _apps.Count; i++)
        {
            Answers[_apps[i]] = answers[i];
        }

        Timings = $"{Shapes.Count} shapes ({GeneratorShapes.Count} in generator mode), {Exchanges.Count} requests ({Exchanges.Count(e => GeneratorShapes.Contains(e.Shape))}): compiled at {compiled}, "
            + $"apps started at {started}, all answered at {clock.Elapsed.TotalSeconds:F1} s ({Cpu()})";
    }

    private async Task<Answer[]> SendAllAsync(FidelityApp app)
    {
        var answers = new Answer[Exchanges.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Exchanges.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) =>
            {
                var exchange = Exchanges[i];
                if (!Ran(app, exchange))
                {
                    return;
                }

                answers[i] = await app.SendAsync(exchange.Shape.Prefix + exchange.Request.Path, exchange.Request, exchange.Id);
            });
        return answers;
    }

    private static Assembly Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        emitted.Success.ShouldBeTrue(string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        return Assembly.Load(image.ToArray());
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }
}
