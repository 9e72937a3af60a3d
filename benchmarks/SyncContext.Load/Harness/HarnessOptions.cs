using System.Globalization;
using SyncContext.Load.Server;

namespace SyncContext.Load.Harness;

/// <summary>The harness's command line.</summary>
internal sealed record HarnessOptions
{
    public const string Usage = """
        dotnet run -c Release --project benchmarks/SyncContext.Load -- [options]

          --duration SECONDS   length of each measured step (default 5)
          --quick              2-second steps, S2 capped at 10 s
          --smoke              about 1 s per mode, checks that every mode serves and sheds; for CI
          --scenarios LIST     s1,s2,s3,s4,s5 (default all)
          --modes LIST         inline,taskrun,minthreads,synccontext,quart (default all)
          --wrk-threads N      wrk -t (default 1: wrk and the server share the cores)
          --markdown FILE      also write the tables to FILE
          --no-install         never apt-get install wrk
        """;

    public int DurationSeconds { get; init; } = 5;

    public bool Smoke { get; init; }

    public bool Quick { get; init; }

    public bool NoInstall { get; init; }

    public int WrkThreads { get; init; } = 1;

    public string? MarkdownPath { get; init; }

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string> { "s1", "s2", "s3", "s4", "s5" };

    public IReadOnlyList<ServerMode> Modes { get; init; } = Enum.GetValues<ServerMode>();

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
                "--smoke" => options with { Smoke = true, DurationSeconds = 1 },
                "--no-install" => options with { NoInstall = true },
                "--wrk-threads" => options with { WrkThreads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--markdown" => options with { MarkdownPath = Next() },
                "--scenarios" => options with { Scenarios = Next().Split(',').Select(static s => s.Trim().ToLowerInvariant()).ToHashSet() },
                "--modes" => options with { Modes = Next().Split(',').Select(static m => Enum.Parse<ServerMode>(m.Trim(), ignoreCase: true)).ToArray() },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
        }

        if (options.DurationSeconds < 1)
        {
            throw new ArgumentException("--duration must be at least 1 second.");
        }

        return options;
    }
}
