using System.Globalization;
using SyncContext.Load.Server;

namespace SyncContext.Load.Harness;

/// <summary>The harness's command line.</summary>
internal sealed record HarnessOptions
{
    public const string Usage = """
        dotnet run -c Release --project benchmarks/SyncContext.Load -- [options]

          --duration SECONDS   length of each measured step (default 5)
          --warmup SECONDS     load on the measured route before each S1, S3 and W step, at its own connection count, so
                               that steps compare steady states, not tiered JIT compilation (default 8; --smoke 0)
          --quick              2-second steps, S2 capped at 10 s
          --smoke              about 1 s per step, checks that every .NET mode serves, offloads and sheds; for CI
                               (no peers unless --modes names them)
          --peers              the peer table (issue 11) and the sync workloads (issue 13): --scenarios s1,s3,s4,w
          --scenarios LIST     s1,s2,s3,s4,s5,w,b,a (default all; w: the sync workloads of issue 13; b: bulkheads, issue 9;
                               a: wait-bounded admission, MaxQueueTime, issue 9)
          --modes LIST         inline,taskrun,minthreads,synccontext,tokio,fastapi,node,quart (default all)
          --s3-rounds N        run S3's modes N times, alternating, and add each row's median (default 1): one S3 step
                               on these machines moves by 10-20 % from run to run, more than the gaps it compares
          --w-rounds N         run W's workloads N times per mode, each round with its own /fast alone, and add each
                               row's median (default 1): /fast beside / alone moves by 5-10 points from run to run
          --cpu-iterations N   /cpu's SHA-256 iterations (16 KiB each); default: calibrated here to 20 ms
          --wrk-threads N      wrk -t (default 1: wrk and the server share the cores)
          --markdown FILE      also write the tables to FILE
          --no-install         never install wrk or a peer's packages, never build a peer (skip what is missing)
        """;

    public int DurationSeconds { get; init; } = 5;

    /// <summary>How many times S3 runs its modes, one after the other in each round, so that medians can be compared.</summary>
    public int S3Rounds { get; init; } = 1;

    /// <summary>How many times W runs each mode's workloads, with <c>/fast</c> alone measured again in every round.</summary>
    public int WRounds { get; init; } = 1;

    /// <summary>
    /// How long the measured route is loaded, unmeasured, before a step measures it: a fresh .NET server serves a third
    /// less for its first seconds while tiered compilation and dynamic PGO recompile the hot path (an offloaded route
    /// about 6 s, an inline one about 3 s, on 2 cores), which would compare warm-up times instead of steady states.
    /// </summary>
    public int WarmupSeconds { get; init; } = 8;

    public bool Smoke { get; init; }

    public bool Quick { get; init; }

    public bool NoInstall { get; init; }

    public int WrkThreads { get; init; } = 1;

    public string? MarkdownPath { get; init; }

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string> { "s1", "s2", "s3", "s4", "s5", "w", "b", "a" };

    /// <summary>The modes named by --modes, or null for the default: all, or the .NET modes only in --smoke.</summary>
    public IReadOnlyList<ServerMode>? ExplicitModes { get; init; }

    public IReadOnlyList<ServerMode> Modes
        => ExplicitModes ?? (Smoke ? Enum.GetValues<ServerMode>().Where(static m => !Peers.IsPeer(m)).ToArray() : Enum.GetValues<ServerMode>());

    /// <summary>/cpu's iteration count when given; otherwise the harness calibrates it to <see cref="CpuTargetMilliseconds"/>.</summary>
    public int? CpuIterations { get; init; }

    /// <summary>The CPU time one /cpu request is calibrated to take.</summary>
    public double CpuTargetMilliseconds => Smoke ? 2 : 20;

    /// <summary>Clients on the sync route in the workload scenario (issue 13: 256).</summary>
    public int WorkloadClients => Smoke ? 16 : 256;

    /// <summary>Blocking clients in S1.</summary>
    public IReadOnlyList<int> BlockingClients => Smoke ? [16] : [4, 64, 256];

    /// <summary>Connections of the small client that measures <c>/fast</c>.</summary>
    public int FastConnections => 4;

    /// <summary>Connections of the trivial sync handler load in S3.</summary>
    public int SyncConnections => 32;

    /// <summary>How long the blocking load runs before <c>/fast</c> is measured beside it.</summary>
    public TimeSpan Ramp => Smoke ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(2);

    public TimeSpan BurstCap => Smoke ? TimeSpan.FromSeconds(3) : Quick ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(20);

    public int MaxThreads => 64;

    /// <summary>S5's queue limit: how many requests are held queued to weigh them.</summary>
    public int OverloadQueueLimit => Smoke ? 32 : 1024;

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--duration" => options with { DurationSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--quick" => options with { Quick = true, DurationSeconds = 2 },
                "--smoke" => options with { Smoke = true, DurationSeconds = 1, WarmupSeconds = 0 },
                "--warmup" => options with { WarmupSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-install" => options with { NoInstall = true },
                "--wrk-threads" => options with { WrkThreads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--markdown" => options with { MarkdownPath = Next() },
                "--scenarios" => options with { Scenarios = Next().Split(',').Select(static s => s.Trim().ToLowerInvariant()).ToHashSet() },
                "--peers" => options with { Scenarios = new HashSet<string> { "s1", "s3", "s4", "w" } },
                "--s3-rounds" => options with { S3Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--w-rounds" => options with { WRounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--cpu-iterations" => options with { CpuIterations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--modes" => options with { ExplicitModes = Next().Split(',').Select(static m => Enum.Parse<ServerMode>(m.Trim(), ignoreCase: true)).ToArray() },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }

        if (options.DurationSeconds < 1)
        {
            throw new ArgumentException("--duration must be at least 1 second.");
        }

        if (options.S3Rounds < 1)
        {
            throw new ArgumentException("--s3-rounds must be at least 1.");
        }

        if (options.WRounds < 1)
        {
            throw new ArgumentException("--w-rounds must be at least 1.");
        }

        if (options.CpuIterations is < 1)
        {
            throw new ArgumentException("--cpu-iterations must be at least 1.");
        }

        return options;
    }
}
