using System.Globalization;
using System.Text;
using SyncContext.Load.Server;

namespace SyncContext.Load.Harness;

/// <summary>Writes what the scenarios measured as Markdown tables, with the targets of issue 4 checked.</summary>
internal static class Report
{
    public static string Write(Scenarios results, HarnessOptions options, string header)
    {
        var text = new StringBuilder();
        text.AppendLine(header);

        WriteBulkhead(text, results, options);
        WriteAdmission(text, results, options);

        if (results.S1.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### S1 isolation: async `/fast` beside N clients of sync `/slow` (blocks 100 ms)");
            text.AppendLine();
            text.AppendLine($"`/fast`: {options.FastConnections} connections; `/slow` ran {options.Ramp.TotalSeconds:0.#} s before `/fast` was measured, and through it.");
            text.AppendLine();
            text.AppendLine("| mode | N | /fast req/s | p50 ms | p99 ms | timeouts | p99 vs alone | req/s vs alone | /slow req/s | load |");
            text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var row in results.S1)
            {
                var alone = results.S1.FirstOrDefault(r => r.Mode == row.Mode && r.BlockingClients == 0);
                if (row.Fast.Requests == 0)
                {
                    text.AppendLine(Row(
                        Name(row.Mode),
                        row.BlockingClients.ToString(CultureInfo.InvariantCulture),
                        "0",
                        $"none answered in {row.Fast.Seconds:0} s",
                        "",
                        row.Fast.Timeouts.ToString(CultureInfo.InvariantCulture),
                        "n/a",
                        "0 %",
                        row.Slow is null ? "" : Num(row.Slow.RequestsPerSecond - (row.Slow.Non2xx / row.Slow.Seconds), "0"),
                        Num(row.Load, "0.00")));
                    continue;
                }

                text.AppendLine(Row(
                    Name(row.Mode),
                    row.BlockingClients == 0 ? "alone" : row.BlockingClients.ToString(CultureInfo.InvariantCulture),
                    Num(row.Fast.RequestsPerSecond, "0"),
                    Num(row.Fast.P50Ms, "0.00"),
                    Num(row.Fast.P99Ms, "0.00"),
                    row.Fast.Timeouts.ToString(CultureInfo.InvariantCulture),
                    alone is null || row.BlockingClients == 0 ? "" : Ratio(row.Fast.P99Ms / alone.Fast.P99Ms, "x"),
                    alone is null || row.BlockingClients == 0 ? "" : Ratio(row.Fast.RequestsPerSecond / alone.Fast.RequestsPerSecond, "%"),
                    row.Slow is null ? "" : Num(row.Slow.RequestsPerSecond - (row.Slow.Non2xx / row.Slow.Seconds), "0"),
                    Num(row.Load, "0.00")));
            }
        }

        if (results.S2.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### S2 burst recovery: 0 -> 256 blocking clients, `/fast` p99 per 100 ms window (2 sequential samplers)");
            text.AppendLine();
            text.AppendLine("| mode | first window p99 < 10 ms (s) | p99 < 10 ms for 1 s from (s) | worst /fast ms | load |");
            text.AppendLine("|---|--:|--:|--:|--:|");
            foreach (var row in results.S2)
            {
                text.AppendLine(Row(
                    Name(row.Mode),
                    row.FirstGoodSeconds is { } first ? Num(first, "0.0") : $"> {row.CapSeconds:0}",
                    row.SustainedSeconds is { } sustained ? Num(sustained, "0.0") : $"> {row.CapSeconds:0}",
                    Num(row.WorstMs, "0"),
                    Num(row.Load, "0.00")));
            }
        }

        if (results.S3.Count > 0)
        {
            var rounds = results.S3.Max(static r => r.Round);
            text.AppendLine();
            text.AppendLine($"### S3 overhead: trivial sync handler, {options.SyncConnections} connections");
            text.AppendLine();
            text.AppendLine("`/sync` runs where the mode runs sync work (offloaded for SyncContext and the peers); `/inline` is the same handler never offloaded (a peer's is async, on its event loop). Each row is a fresh server." +
                (rounds > 1 ? $" {rounds} rounds, each mode in turn in every round; a row's ratios are against the rows of its own round." : ""));
            text.AppendLine();
            text.AppendLine($"| {(rounds > 1 ? "round | " : "")}mode | route | req/s | p50 ms | p99 ms | vs same server's /inline | vs ASP.NET Core inline | load |");
            text.AppendLine($"|{(rounds > 1 ? "--:|" : "")}---|---|--:|--:|--:|--:|--:|--:|");
            foreach (var row in results.S3)
            {
                var (own, inline) = S3Ratios(results, row);
                string[] cells =
                [
                    Name(row.Mode),
                    $"`{row.Route}`",
                    Num(row.Sync.RequestsPerSecond, "0"),
                    Num(row.Sync.P50Ms, "0.00"),
                    Num(row.Sync.P99Ms, "0.00"),
                    own is { } o ? Ratio(o, "%") : "",
                    inline is { } i ? Ratio(i, "%") : "",
                    Num(row.Load, "0.00"),
                ];
                text.AppendLine(Row(rounds > 1 ? [$"{row.Round}", .. cells] : cells));
            }

            if (rounds > 1)
            {
                text.AppendLine();
                text.AppendLine($"Medians over the {rounds} rounds (of each round's req/s and ratios):");
                text.AppendLine();
                text.AppendLine("| mode | route | req/s | vs same server's /inline | vs ASP.NET Core inline |");
                text.AppendLine("|---|---|--:|--:|--:|");
                foreach (var group in results.S3.GroupBy(static r => (r.Mode, r.Route)))
                {
                    var ratios = group.Select(row => S3Ratios(results, row)).ToList();
                    text.AppendLine(Row(
                        Name(group.Key.Mode),
                        $"`{group.Key.Route}`",
                        Num(Median(group.Select(static r => (double?)r.Sync.RequestsPerSecond)) ?? double.NaN, "0"),
                        Median(ratios.Select(static r => r.Own)) is { } own ? Ratio(own, "%") : "",
                        Median(ratios.Select(static r => r.Inline)) is { } inline ? Ratio(inline, "%") : ""));
                }
            }
        }

        if (results.S4.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### S4 saturation: sync `/slow` (100 ms) with 256 clients");
            text.AppendLine();
            text.AppendLine("| mode | /slow req/s | bound | bound req/s | of bound | p50 ms | p99 ms | non-2xx | load |");
            text.AppendLine("|---|--:|---|--:|--:|--:|--:|--:|--:|");
            foreach (var row in results.S4)
            {
                text.AppendLine(Row(
                    Name(row.Mode),
                    Num(row.Slow.RequestsPerSecond, "0"),
                    row.BoundReason,
                    Num(row.Bound, "0"),
                    Ratio(row.Slow.RequestsPerSecond / row.Bound, "%"),
                    row.Slow.Requests == 0 ? $"none answered in {row.Slow.Seconds:0} s" : Num(row.Slow.P50Ms, "0"),
                    row.Slow.Requests == 0 ? "" : Num(row.Slow.P99Ms, "0"),
                    row.Slow.Non2xx.ToString(CultureInfo.InvariantCulture),
                    Num(row.Load, "0.00")));
            }
        }

        if (results.S5.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### S5 overload: SyncContext with every worker busy and the queue full");
            text.AppendLine();
            text.AppendLine($"| MaxThreads | QueueLimit (held queued) | connections | 503 req/s | 503 p50 ms | 503 p99 ms | max ms | non-503 | `/fast` p99 ms, same state | GC heap per queued request | working set per queued request | load |");
            text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach (var row in results.S5)
            {
                text.AppendLine(Row(
                    row.MaxThreads.ToString(CultureInfo.InvariantCulture),
                    $"{row.QueueLimit} ({row.Queued})",
                    row.Connections.ToString(CultureInfo.InvariantCulture),
                    Num(row.Shed.RequestsPerSecond, "0"),
                    Num(row.Shed.P50Ms, "0.000"),
                    Num(row.Shed.P99Ms, "0.000"),
                    Num(row.Shed.MaxMs, "0.0"),
                    (row.Shed.Requests - row.Shed.Non2xx).ToString(CultureInfo.InvariantCulture),
                    Num(row.Fast.P99Ms, "0.000"),
                    $"{row.HeapBytesPerQueued / 1024:0.0} KiB",
                    $"{row.WorkingSetBytesPerQueued / 1024:0.0} KiB",
                    Num(row.Load, "0.00")));
            }
        }

        WritePeers(text, results, options);
        WriteWorkloads(text, results, options);

        var targets = Targets(results).ToList();
        if (targets.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### Targets (issue 4), SyncContext");
            text.AppendLine();
            text.AppendLine("| target | measured | met |");
            text.AppendLine("|---|---|---|");
            foreach (var (target, measured, met) in targets)
            {
                text.AppendLine(Row(target, measured, met ? "yes" : "**no**"));
            }
        }

        if (results.Problems.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("### Problems");
            foreach (var problem in results.Problems)
            {
                text.AppendLine($"- {problem}");
            }
        }

        return text.ToString();
    }

    private static IEnumerable<(string Target, string Measured, bool Met)> Targets(Scenarios results)
    {
        var alone = results.S1.FirstOrDefault(static r => r is { Mode: ServerMode.SyncContext, BlockingClients: 0 });
        var loaded = results.S1.FirstOrDefault(static r => r is { Mode: ServerMode.SyncContext, BlockingClients: 256 });
        if (alone is not null && loaded is not null)
        {
            var p99 = loaded.Fast.P99Ms / alone.Fast.P99Ms;
            var rate = loaded.Fast.RequestsPerSecond / alone.Fast.RequestsPerSecond;
            yield return ("S1 `/fast` p99 with 256 blocking <= 2x alone", $"{loaded.Fast.P99Ms:0.00} ms vs {alone.Fast.P99Ms:0.00} ms = {p99:0.00}x", p99 <= 2);
            yield return ("S1 `/fast` req/s with 256 blocking >= 80% of alone", $"{loaded.Fast.RequestsPerSecond:0} vs {alone.Fast.RequestsPerSecond:0} = {rate:P0}", rate >= 0.8);
        }

        if (results.S2.FirstOrDefault(static r => r.Mode == ServerMode.SyncContext) is { } burst)
        {
            var inline = results.S2.FirstOrDefault(static r => r.Mode == ServerMode.Inline);
            var inlineText = inline is null ? "" : $" (inline: {(inline.SustainedSeconds is { } s ? $"{s:0.0} s" : $"> {inline.CapSeconds:0} s")})";
            yield return ("S2 recovery < 1 s", $"{(burst.SustainedSeconds is { } t ? $"{t:0.0} s" : $"> {burst.CapSeconds:0} s")}{inlineText}", burst.SustainedSeconds < 1);
        }

        var offloaded = results.S3.Where(static r => r is { Mode: ServerMode.SyncContext, Route: "/sync" }).ToList();
        if (Median(offloaded.Select(row => S3Ratios(results, row).Inline)) is { } offloadedShare)
        {
            var measured = offloaded.Count == 1 && InlineRowOf(results, offloaded[0].Round) is { } inline
                ? $"{offloaded[0].Sync.RequestsPerSecond:0} vs {inline.Sync.RequestsPerSecond:0} = {offloadedShare:P0}"
                : $"{offloadedShare:P0} (median of {offloaded.Count} rounds)";
            yield return ("S3 offloaded >= 85% of inline req/s", measured, offloadedShare >= 0.85);
        }

        if (results.S4.FirstOrDefault(static r => r.Mode == ServerMode.SyncContext) is { } saturated)
        {
            var share = saturated.Slow.RequestsPerSecond / saturated.Bound;
            yield return ("S4 >= 95% of MaxThreads / 0.1 s", $"{saturated.Slow.RequestsPerSecond:0} of {saturated.Bound:0} = {share:P1}", share >= 0.95);
        }

        foreach (var shed in results.S5)
        {
            yield return ($"S5 503 p99 < 1 ms ({shed.Connections} connection{(shed.Connections == 1 ? "" : "s")})", $"{shed.Shed.P99Ms:0.000} ms (a 200 from `/fast` on the same server: {shed.Fast.P99Ms:0.000} ms)", shed.Shed.P99Ms < 1);
        }
    }

    /// <summary>
    /// Issue 11's peer table, from this run's S1 (<c>/fast</c> beside 256 clients of <c>/slow</c> against alone),
    /// S4 (<c>/slow</c> with 256 clients) and S3 (<c>/sync</c> against the same server's <c>/inline</c>).
    /// </summary>
    private static void WritePeers(StringBuilder text, Scenarios results, HarnessOptions options)
    {
        var flood = options.BlockingClients.Max();
        var modes = results.S1.Select(static r => r.Mode).Concat(results.S3.Select(static r => r.Mode)).Concat(results.S4.Select(static r => r.Mode)).Distinct().ToList();
        if (modes.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine($"### Peers (issue 11): `/fast` ({options.FastConnections} clients) beside {flood} clients of a 100 ms blocking handler; a trivial handler offloaded vs inline at {options.SyncConnections} clients");
        text.AppendLine();
        text.AppendLine("| server | sync threads | `/fast` under flood / alone | `/fast` p99 under flood (alone) | `/slow` req/s (of bound) | offloaded trivial / inline |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|");
        foreach (var mode in modes)
        {
            var alone = results.S1.FirstOrDefault(r => r.Mode == mode && r.BlockingClients == 0);
            var flooded = results.S1.FirstOrDefault(r => r.Mode == mode && r.BlockingClients == flood);
            var slow = results.S4.FirstOrDefault(r => r.Mode == mode);
            var offloadedOverInline = Median(results.S3.Where(r => r.Mode == mode && r.Route == "/sync").Select(row => S3Ratios(results, row).Own));
            text.AppendLine(Row(
                Name(mode),
                SyncThreads(mode, options),
                alone is null || flooded is null ? "" : Ratio(flooded.Fast.RequestsPerSecond / alone.Fast.RequestsPerSecond, "%"),
                flooded is null ? "" : flooded.Fast.Requests == 0 ? "none answered" : $"{Num(flooded.Fast.P99Ms, "0.00")} ms ({(alone is null ? "" : Num(alone.Fast.P99Ms, "0.00"))})",
                slow is null ? "" : $"{Num(Good(slow.Slow), "0")} ({Ratio(Good(slow.Slow) / slow.Bound, "%")} of {Num(slow.Bound, "0")})",
                offloadedOverInline is { } ratio ? Ratio(ratio, "%") : ""));
        }
    }

    /// <summary>Issue 13's table: each sync workload beside <c>/fast</c>, every server with its default options.</summary>
    private static void WriteWorkloads(StringBuilder text, Scenarios results, HarnessOptions options)
    {
        if (results.W.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine($"### Sync workloads (issue 13): {options.WorkloadClients} clients on one sync endpoint while {options.FastConnections} clients use the async `/fast`");
        text.AppendLine();
        text.AppendLine($"Default options everywhere (SyncContext: `AddSyncContext()`). `/slow`: `Thread.Sleep(100)`; `/cpu`: SHA-256 over {results.CpuIterations} x 16 KiB, {results.CpuMilliseconds:0.0} ms of one core; `/pool`: one of 32 pooled connections, then 100 ms. Executor threads: the most seen during the flood (.NET: SyncContext's workers, or the thread pool's threads, from the server; peers: the process's threads from /proc, event loop included). `/fast` alone: S1's step of this run, or this scenario's own.");
        text.AppendLine();
        var rounds = results.W.Max(static r => r.Round);
        text.AppendLine($"| sync work | {(rounds > 1 ? "round | " : "")}server | sync req/s | most possible | executor threads | /fast beside / alone | /fast p99 beside | one request alone ms | process threads | sync failed |");
        text.AppendLine($"|---|{(rounds > 1 ? "--:|" : "")}---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in results.W.OrderBy(static r => r.Workload).ThenBy(static r => r.Round))
        {
            string[] cells =
            [
                Name(row.Mode),
                Num(Good(row.Sync), "0"),
                $"{Num(row.MostPossible, "0")} ({row.MostPossibleReason})",
                row.ExecutorThreads == 0 ? "n/a (`/stats` unanswered)" : row.ExecutorThreads.ToString(CultureInfo.InvariantCulture),
                row.FastAlone is null ? "" : $"{Ratio(row.Fast.RequestsPerSecond / row.FastAlone.RequestsPerSecond, "%")} ({Num(row.Fast.RequestsPerSecond, "0")} of {Num(row.FastAlone.RequestsPerSecond, "0")})",
                row.Fast.Requests == 0 ? "none answered" : $"{Num(row.Fast.P99Ms, "0.00")} ms",
                Num(row.AloneMs, "0.0"),
                row.ProcessThreads.ToString(CultureInfo.InvariantCulture),
                Failed(row).ToString(CultureInfo.InvariantCulture),
            ];
            text.AppendLine(Row(rounds > 1 ? [WorkloadName(results, row.Workload), $"{row.Round}", .. cells] : [WorkloadName(results, row.Workload), .. cells]));
        }

        if (rounds == 1)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine($"Medians over the {rounds} rounds (of each round's figures; `/fast` beside / alone against the same round's alone; executor threads: the most in any round; sync failed: all rounds):");
        text.AppendLine();
        text.AppendLine("| sync work | server | sync req/s | /fast beside / alone | /fast p99 beside | executor threads | sync failed |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|");
        foreach (var group in results.W.OrderBy(static r => r.Workload).GroupBy(static r => (r.Workload, r.Mode)))
        {
            text.AppendLine(Row(
                WorkloadName(results, group.Key.Workload),
                Name(group.Key.Mode),
                Num(Median(group.Select(static r => (double?)Good(r.Sync))) ?? double.NaN, "0"),
                Median(group.Select(static r => r.FastAlone is { } alone ? r.Fast.RequestsPerSecond / alone.RequestsPerSecond : (double?)null)) is { } share ? Ratio(share, "%") : "",
                group.All(static r => r.Fast.Requests == 0) ? "none answered" : $"{Num(Median(group.Select(static r => (double?)r.Fast.P99Ms)) ?? double.NaN, "0.00")} ms",
                group.Max(static r => r.ExecutorThreads).ToString(CultureInfo.InvariantCulture),
                group.Sum(Failed).ToString(CultureInfo.InvariantCulture)));
        }

        static long Failed(WRow row) => row.Sync.Non2xx + row.Sync.Timeouts + row.Sync.SocketErrors;
    }

    private static string WorkloadName(Scenarios results, Workload workload) => workload switch
    {
        Workload.Sleep => "`/slow` sleeps 100 ms (I/O-like)",
        Workload.Cpu => $"`/cpu` {results.CpuMilliseconds:0} ms of CPU",
        _ => "`/pool` 1 of 32 connections, 100 ms",
    };

    private static void WriteBulkhead(StringBuilder text, Scenarios results, HarnessOptions options)
    {
        var alone = results.B.FirstOrDefault(static r => r.Flood.Length == 0);
        if (alone is null)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("### B bulkheads (issue 9): the default executor's sync `/report` beside a flood of blocking clients");
        text.AppendLine();
        text.AppendLine($"`/report` sleeps {LoadServer.ReportMilliseconds} ms on the default executor (MaxThreads {options.MaxThreads}), {options.FastConnections * 4} connections. The flood: 256 clients of a handler sleeping {LoadServer.SlowMilliseconds} ms, on the same executor (`/slow`), or on its own executor of {LoadServer.LegacyThreads} threads (`/legacy`, `OffloadSync(\"{LoadServer.LegacyExecutor}\")`). Each step on a fresh server.");
        text.AppendLine();
        text.AppendLine("| flood | /report req/s | p50 ms | p99 ms | req/s vs alone | p99 vs alone | flood req/s (2xx) | flood 503s | load |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in results.B)
        {
            text.AppendLine(Row(
                row.Flood.Length == 0 ? "none (alone)" : row.Flood == "/slow" ? "`/slow`, same executor" : $"`/legacy`, own executor ({LoadServer.LegacyThreads} threads)",
                Num(Good(row.Report), "0"),
                Num(row.Report.P50Ms, "0.00"),
                Num(row.Report.P99Ms, "0.00"),
                Ratio(Good(row.Report) / Good(alone.Report), "%"),
                Ratio(row.Report.P99Ms / alone.Report.P99Ms, "x"),
                row.Flooded is null ? "" : Num(Good(row.Flooded), "0"),
                row.Flooded is null ? "" : row.Flooded.Non2xx.ToString(CultureInfo.InvariantCulture),
                Num(row.Load, "0.00")));
        }
    }

    private static void WriteAdmission(StringBuilder text, Scenarios results, HarnessOptions options)
    {
        if (results.A.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("### A wait-bounded admission (issue 9): 256 clients of a handler blocking 100 ms on an executor of 8 threads");
        text.AppendLine();
        text.AppendLine($"Most possible: {LoadServer.LegacyThreads * 1000 / LoadServer.SlowMilliseconds} answers of 200 a second. `/legacy`: no bound on the queue wait (the default); `/bounded`: `MaxQueueTime` {LoadServer.BoundedQueueMilliseconds} ms. Latencies are of every answer, 200 and 503 alike. `/fast` (async, {options.FastConnections} clients) runs beside the flood after its ramp; alone: S1's step of this run, or this scenario's own. Each step on a fresh server.");
        text.AppendLine();
        text.AppendLine("| route | `MaxQueueTime` | 200 req/s | 503 req/s | p50 ms | p99 ms | max ms | `/fast` beside req/s | `/fast` beside / alone | `/fast` p99 ms | load |");
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var row in results.A)
        {
            text.AppendLine(Row(
                $"`{row.Route}`",
                row.Route == "/bounded" ? $"{LoadServer.BoundedQueueMilliseconds} ms" : "off",
                Num(Good(row.Flood), "0"),
                Num(row.Flood.Seconds > 0 ? row.Flood.Non2xx / row.Flood.Seconds : 0, "0"),
                Num(row.Flood.P50Ms, "0.00"),
                Num(row.Flood.P99Ms, "0.00"),
                Num(row.Flood.MaxMs, "0"),
                Num(Good(row.Fast), "0"),
                row.FastAlone is { } alone && Good(alone) > 0 ? $"{100 * Good(row.Fast) / Good(alone):0} %" : "",
                Num(row.Fast.P99Ms, "0.00"),
                Num(row.Load, "0.00")));
        }
    }

    /// <summary>Successful requests per second.</summary>
    private static double Good(LoadResult result) => result.Seconds > 0 ? (result.Requests - result.Non2xx) / result.Seconds : 0;

    private static string SyncThreads(ServerMode mode, HarnessOptions options) => mode switch
    {
        ServerMode.SyncContext => $"{options.MaxThreads} (MaxThreads)",
        ServerMode.MinThreads => $"pool (min {LoadServer.MinThreadsRaisedTo})",
        ServerMode.Inline or ServerMode.TaskRun => "pool",
        _ => Peers.SyncThreads(mode) is var (threads, pool) ? $"{threads} ({pool})" : "",
    };

    public static string Name(ServerMode mode) => mode switch
    {
        ServerMode.Inline => "inline (default)",
        ServerMode.TaskRun => "Task.Run",
        ServerMode.MinThreads => $"SetMinThreads({LoadServer.MinThreadsRaisedTo})",
        ServerMode.SyncContext => "SyncContext",
        ServerMode.Quart => "Quart (uvicorn)",
        ServerMode.FastApi => "FastAPI (uvicorn)",
        ServerMode.Tokio => "tokio + hyper",
        ServerMode.Node => "fastify + piscina",
        _ => mode.ToString(),
    };

    /// <summary>An S3 row's req/s over its own server's <c>/inline</c> and over ASP.NET Core inline's <c>/sync</c>, both of its round.</summary>
    private static (double? Own, double? Inline) S3Ratios(Scenarios results, S3Row row)
    {
        var own = results.S3.FirstOrDefault(r => r.Mode == row.Mode && r.Route == "/inline" && r.Round == row.Round);
        var inline = InlineRowOf(results, row.Round);
        return (
            own is null || ReferenceEquals(own, row) ? null : row.Sync.RequestsPerSecond / own.Sync.RequestsPerSecond,
            inline is null ? null : row.Sync.RequestsPerSecond / inline.Sync.RequestsPerSecond);
    }

    /// <summary>ASP.NET Core inline's S3 row of a round: what every mode's trivial handler is compared with.</summary>
    private static S3Row? InlineRowOf(Scenarios results, int round)
        => results.S3.FirstOrDefault(r => r is { Mode: ServerMode.Inline, Route: "/sync" } && r.Round == round);

    /// <summary>The median of the values there are, or <see langword="null"/> for none.</summary>
    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        return sorted.Length == 0 ? null
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Row(params string[] cells) => $"| {string.Join(" | ", cells)} |";

    private static string Num(double value, string format)
        => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ratio(double value, string unit)
        => double.IsNaN(value) || double.IsInfinity(value) ? "n/a"
            : unit == "%" ? value.ToString("P0", CultureInfo.InvariantCulture)
            : $"{value.ToString("0.00", CultureInfo.InvariantCulture)}x";
}
