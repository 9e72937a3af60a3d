using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;
using SyncContext.Tests.Context;

namespace SyncContext.Tests.Execution;

public class ExecutorRejectionReportingTests
{
    private const int Rejections = 1000;

    [Fact]
    public async Task A_rejection_storm_logs_a_warning_at_most_once_a_second_and_counts_every_rejection()
    {
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        long counted = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SyncContextMetrics.MeterName && instrument.Name == "synccontext.work.rejected")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        using var executor = new SyncExecutor(
            Options.Create(new SyncContextOptions { MaxThreads = 1, MinThreads = 0, QueueLimit = 0, SpinCount = 0 }),
            loggers.CreateLogger<SyncExecutor>(),
            new SyncContextMetrics(meterFactory));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);

        var storm = Stopwatch.StartNew();
        for (var i = 0; i < Rejections; i++)
        {
            executor.RunAsync(() => { }).IsFaulted.ShouldBeTrue();
        }

        var elapsedSeconds = storm.Elapsed.TotalSeconds;
        gate.Set();
        await blocker.WaitAsync(TestHosts.HangGuard);

        Interlocked.Read(ref counted).ShouldBe(Rejections);
        var warnings = logs.Entries.Where(entry => entry.Message.Contains("rejected", StringComparison.Ordinal)).ToList();
        warnings.Count.ShouldBeGreaterThanOrEqualTo(1);
        warnings.Count.ShouldBeLessThanOrEqualTo((int)Math.Ceiling(elapsedSeconds) + 1, "one warning a second at most, not one per rejection");
        warnings[0].Message.ShouldContain("QueueFull");
    }
}
