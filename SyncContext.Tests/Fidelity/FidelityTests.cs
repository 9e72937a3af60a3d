using System.Text;
using Xunit.Abstractions;

namespace SyncContext.Tests.Fidelity;

/// <summary>
/// Issue 7, item 8: every shape of <see cref="FidelityShapes"/>, each with valid, missing and malformed
/// requests, answers byte for byte the same (status line, every header but Date, body) with the package as
/// without it, in Production and Development, through both ways the product offers (the runtime convention
/// and the generator). Each test covers one family in one mode and lists every difference it finds.
/// </summary>
[Trait("Category", "Fidelity")]
public class FidelityTests(FidelityRun run, ITestOutputHelper output) : IClassFixture<FidelityRun>
{
    private const string ExecutorPrefix = "SyncContext #";

    public static TheoryData<string, string, string> FamiliesByMode()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var family in FidelityShapes.All.Where(shape => shape.AllowedDifference is null).Select(shape => shape.Family).Distinct())
        {
            foreach (var mode in OffloadedModes)
            {
                foreach (var environment in FidelityRun.Environments)
                {
                    data.Add(family, mode, environment);
                }
            }
        }

        return data;
    }

    public static TheoryData<string, string> Modes()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in OffloadedModes)
        {
            foreach (var environment in FidelityRun.Environments)
            {
                data.Add(mode, environment);
            }
        }

        return data;
    }

    private static readonly string[] OffloadedModes = [nameof(FidelityMode.Runtime), nameof(FidelityMode.Generator)];

    [Theory]
    [MemberData(nameof(FamiliesByMode))]
    public void Offloaded_app_answers_like_the_plain_app(string family, string mode, string environment)
    {
        var (plain, offloaded) = Pair(mode, environment);
        var report = new StringBuilder();
        var compared = 0;
        foreach (var (exchange, i) in run.Exchanges.Select((exchange, i) => (exchange, i)))
        {
            if (exchange.Shape.Family != family || exchange.Shape.AllowedDifference is not null || !run.Ran(offloaded, exchange))
            {
                continue;
            }

            compared++;
            var differences = run.Answers[offloaded][i].DifferencesFrom(run.Answers[plain][i]);
            if (differences.Count > 0)
            {
                report.AppendLine($"- {exchange}");
                foreach (var difference in differences)
                {
                    report.AppendLine($"    {difference}");
                }
            }
        }

        compared.ShouldBeGreaterThan(0);
        report.ToString().ShouldBeEmpty($"{offloaded} differs from {plain} in family '{family}':");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Synchronous_body_io_is_the_one_allowed_difference(string mode, string environment)
    {
        var (plain, offloaded) = Pair(mode, environment);
        var allowed = run.Exchanges.Select((exchange, i) => (exchange, i)).Where(x => x.exchange.Shape.AllowedDifference is not null).ToList();

        allowed.Count.ShouldBeGreaterThanOrEqualTo(3);
        foreach (var (exchange, i) in allowed)
        {
            run.Ran(offloaded, exchange).ShouldBeTrue();
            // Without the package Kestrel refuses the synchronous call; offloaded, the handler may make it.
            run.Answers[plain][i].StatusCode.ShouldBe("500", exchange.ToString());
            run.Answers[offloaded][i].StatusCode.ShouldBe("200", exchange.ToString());
            Encoding.UTF8.GetString(run.Answers[offloaded][i].Body).ShouldContain("fidelity", customMessage: exchange.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Offloaded_app_runs_every_sync_handler_on_the_executor_and_leaves_async_ones_alone(string mode, string environment)
    {
        var (plain, offloaded) = Pair(mode, environment);
        var report = new StringBuilder();
        var proven = 0;
        foreach (var exchange in run.Exchanges.Where(exchange => run.Ran(offloaded, exchange)))
        {
            var expected = Handlers(plain, exchange);
            var actual = Handlers(offloaded, exchange);
            expected.ShouldAllBe(thread => !thread.StartsWith(ExecutorPrefix, StringComparison.Ordinal), $"the plain app ran {exchange} on the executor");
            if (actual.Count != expected.Count)
            {
                report.AppendLine($"- {exchange}: the plain app ran {expected.Count} handler(s), the offloaded app {actual.Count}");
                continue;
            }

            var wrong = actual.Where(thread => thread.StartsWith(ExecutorPrefix, StringComparison.Ordinal) == exchange.Shape.IsAsync).ToList();
            if (wrong.Count > 0)
            {
                report.AppendLine($"- {exchange}: {(exchange.Shape.IsAsync ? "async handler moved to" : "sync handler ran on")} {string.Join(", ", wrong)}");
            }
            else if (!exchange.Shape.IsAsync)
            {
                proven += actual.Count;
            }
        }

        output.WriteLine($"{proven} handler calls of {offloaded} ran on \"{ExecutorPrefix}n\" threads.");
        report.ToString().ShouldBeEmpty($"{offloaded} did not offload as {plain} ran:");
        proven.ShouldBeGreaterThanOrEqualTo(run.Shapes.Count(shape => !shape.IsAsync && !shape.IsRefused && (offloaded.Mode != FidelityMode.Generator || run.GeneratorShapes.Contains(shape))));
    }

    /// <summary>
    /// Issue 7, item 2: every lazily produced item of a sync handler's result (a lazy sequence, alone or inside
    /// <c>Ok</c>, <c>Json</c> or a union, an <c>IQueryable</c>, an <c>IAsyncEnumerable</c>) is produced on the executor.
    /// </summary>
    [Theory]
    [MemberData(nameof(Modes))]
    public void Offloaded_app_produces_lazy_results_on_the_executor(string mode, string environment)
        => AssertLazyItemsOnTheExecutor(mode, environment, static _ => true);

    /// <summary>The shapes that used to be produced on the pool, on their own, so a regression among them is named.</summary>
    [Theory]
    [MemberData(nameof(Modes))]
    public void Lazy_results_inside_results_and_async_sequences_are_produced_on_the_executor(string mode, string environment)
        => AssertLazyItemsOnTheExecutor(mode, environment, static shape => s_insideResultsAndAsync.Contains(shape.ToString()));

    private static readonly HashSet<string> s_insideResultsAndAsync =
    [
        "sequences/lazy-in-ok", "sequences/lazy-in-typed-ok", "sequences/lazy-in-json", "sequences/lazy-in-union",
        "sequences/queryable", "sequences/async-enumerable", "sequences/async-enumerable-large",
        "sequences/async-enumerable-throws", "sequences/async-enumerable-in-ok",
    ];

    private void AssertLazyItemsOnTheExecutor(string mode, string environment, Func<Shape, bool> covered)
    {
        var (plain, offloaded) = Pair(mode, environment);
        var report = new StringBuilder();
        var items = 0;
        foreach (var exchange in run.Exchanges.Where(exchange => !exchange.Shape.IsAsync && covered(exchange.Shape) && run.Ran(offloaded, exchange)))
        {
            var expected = Trace(plain, exchange).Count(entry => entry.StartsWith("item@", StringComparison.Ordinal));
            var actual = Trace(offloaded, exchange).Where(entry => entry.StartsWith("item@", StringComparison.Ordinal)).ToList();
            items += actual.Count;
            var off = actual.Where(entry => !entry.StartsWith("item@" + ExecutorPrefix, StringComparison.Ordinal)).ToList();
            if (actual.Count != expected || off.Count > 0)
            {
                report.AppendLine($"- {exchange}: {actual.Count} item(s) (plain: {expected}), off the executor: {string.Join(", ", off.Distinct())}");
            }
        }

        items.ShouldBeGreaterThan(0);
        report.ToString().ShouldBeEmpty($"{offloaded} produced lazily returned items off the executor:");
    }

    [Fact]
    public void Suite_covers_at_least_300_shapes_each_with_a_handler_that_ran()
    {
        output.WriteLine(run.Timings);
        run.Shapes.Count.ShouldBeGreaterThanOrEqualTo(300);
        run.Shapes.Select(shape => shape.Prefix).ShouldBeUnique();

        // Every sync Map call of the app (the shapes and the two re-execution targets) was intercepted.
        run.InterceptedCalls.ShouldBe(run.GeneratorShapes.Count(shape => !shape.IsAsync) + 2);
        run.GeneratorShapes.Select(shape => shape.Family).Distinct().Count().ShouldBe(run.Shapes.Select(shape => shape.Family).Distinct().Count());

        // The offload proof is only as good as the probes: every shape's handler must have run, and been seen.
        foreach (var environment in FidelityRun.Environments)
        {
            var plain = run.App(FidelityMode.Plain, environment);
            var silent = run.Shapes
                .Where(shape => run.Exchanges.Any(exchange => exchange.Shape == shape && Trace(plain, exchange).Count > 0) == shape.IsRefused)
                .ToList();
            silent.ShouldBeEmpty($"shapes whose handler never ran in {plain} (or, refused ones, ran)");
        }
    }

    private (FidelityApp Plain, FidelityApp Offloaded) Pair(string mode, string environment)
        => (run.App(FidelityMode.Plain, environment), run.App(Enum.Parse<FidelityMode>(mode), environment));

    private static List<string> Trace(FidelityApp app, Exchange exchange)
        => app.Traces.TryGetValue(exchange.Id, out var trace) ? [.. trace] : [];

    private static List<string> Handlers(FidelityApp app, Exchange exchange)
        => [.. Trace(app, exchange).Where(entry => entry.StartsWith("handler@", StringComparison.Ordinal)).Select(entry => entry["handler@".Length..])];
}
