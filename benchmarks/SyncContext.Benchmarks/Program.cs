using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: the generated out-of-process project would inherit this repository's build settings
// (warnings as errors, central package management), and these benchmarks need nothing a separate process gives.
// --smoke runs every benchmark once (seconds) to prove they still run; CI calls it through benchmarks/smoke.sh.
var smoke = args.Contains("--smoke");
var rest = args.Where(static arg => arg != "--smoke").ToArray();

var job = smoke
    ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Smoke")
    : Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(3)
        .WithIterationCount(15)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
        .WithId("InProcess");

var config = DefaultConfig.Instance
    .AddJob(job.AsDefault())
    .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
    .WithOptions(ConfigOptions.JoinSummary | (smoke ? ConfigOptions.StopOnFirstError : ConfigOptions.Default));

if (smoke && !rest.Contains("--filter"))
{
    rest = [.. rest, "--filter", "*"];
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
return summaries.Any(static summary => summary.HasCriticalValidationErrors || summary.Reports.Any(static report => !report.Success)) ? 1 : 0;
