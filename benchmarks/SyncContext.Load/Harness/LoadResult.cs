namespace SyncContext.Load.Harness;

/// <summary>What one load step measured, from wrk or from the built-in client.</summary>
internal sealed record LoadResult(
    string Tool,
    long Requests,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long Non2xx,
    long Timeouts,
    long SocketErrors)
{
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    public static LoadResult FromSamples(string tool, List<double> latenciesMs, double seconds, long non2xx, long timeouts, long socketErrors)
    {
        latenciesMs.Sort();
        return new LoadResult(
            tool,
            latenciesMs.Count + timeouts,
            seconds,
            Percentile(latenciesMs, 50),
            Percentile(latenciesMs, 99),
            latenciesMs.Count == 0 ? 0 : latenciesMs[^1],
            non2xx,
            timeouts,
            socketErrors);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
