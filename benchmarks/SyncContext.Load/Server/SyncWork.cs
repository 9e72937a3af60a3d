using System.Diagnostics;
using System.Security.Cryptography;

namespace SyncContext.Load.Server;

/// <summary>
/// The sync workloads of issue 13, the same in this server and in every peer (benchmarks/peers): I/O-like
/// (<c>/slow</c>: sleeps 100 ms), CPU-bound (<c>/cpu</c>: SHA-256 over a fixed number of 16 KiB chunks) and
/// pool-bound (<c>/pool</c>: waits for one of 32 pooled "connections", then sleeps 100 ms).
/// </summary>
internal sealed class SyncWork(int cpuIterations)
{
    public const int SlowMilliseconds = 100;
    public const int PoolSize = 32;
    public const int ChunkBytes = 16384;

    private static readonly byte[] s_chunk = CreateChunk();

    private readonly SemaphoreSlim _connections = new(PoolSize, PoolSize);

    public int CpuIterations { get; } = cpuIterations;

    /// <summary>
    /// SHA-256 over <paramref name="iterations"/> copies of the chunk (byte i is i mod 256), as lowercase hex.
    /// Every peer computes the same digest from the same count, so the harness can check they did the same work.
    /// </summary>
    public static string Hash(int iterations)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < iterations; i++)
        {
            hash.AppendData(s_chunk);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The iteration count that takes <paramref name="targetMilliseconds"/> of one core here, from the fastest of
    /// several short timed runs (the fastest is the one the other processes on the machine disturbed least).
    /// </summary>
    public static (int Iterations, double Milliseconds) Calibrate(double targetMilliseconds)
    {
        const int Sample = 200;
        Hash(Sample); // warm: JIT and OpenSSL's first call
        var fastest = double.MaxValue;
        for (var trial = 0; trial < 25; trial++)
        {
            var started = Stopwatch.GetTimestamp();
            Hash(Sample);
            fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var perIteration = fastest / Sample;
        var iterations = Math.Max(1, (int)Math.Round(targetMilliseconds / perIteration));
        return (iterations, iterations * perIteration);
    }

    public string Cpu() => Hash(CpuIterations);

    public static string Slow()
    {
        Thread.Sleep(SlowMilliseconds);
        return "slow";
    }

    public string Pool()
    {
        _connections.Wait();
        try
        {
            Thread.Sleep(SlowMilliseconds);
        }
        finally
        {
            _connections.Release();
        }

        return "pool";
    }

    private static byte[] CreateChunk()
    {
        var chunk = new byte[ChunkBytes];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = (byte)i;
        }

        return chunk;
    }
}
