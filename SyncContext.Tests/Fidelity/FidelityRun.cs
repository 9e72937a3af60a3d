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

        var plainAssembly = Task.Run(() => Load(GeneratorHarness.Compile("Fidelity.Plain", interceptorsEnabled: true, source)));
        var generatedAssembly = Task.Run(() =>
        {
            var result = GeneratorHarness.Run(GeneratorHarness.Compile("Fidelity.Generated", interceptorsEnabled: true, source));
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

        Timings = $"{Shapes.Count} shapes, {Exchanges.Count} requests x {_apps.Count} apps: compiled at {compiled}, "
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
