using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Benchmarks.Execution;

/// <summary>
/// One round trip after 5 ms of idleness, long enough for every receiving thread to stop spinning and block
/// in the kernel: the first call after a quiet spell. Each iteration is a single call, timed alone; the
/// idle wait is in the iteration setup, outside the measurement. The caller here is BenchmarkDotNet's own
/// thread, blocked on the result, in every row alike.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[WarmupCount(5)]
[IterationCount(60)]
public class IdleRoundTripBenchmarks
{
    private static readonly Func<int> s_work = static () => 42;

    private SyncExecutor _executor = null!;
    private TwoThreadHandoff _floor = null!;

    [GlobalSetup]
    public void Setup()
    {
        var spinCount = new SyncContextOptions().SpinCount;
        _executor = new SyncExecutor(Options.Create(new SyncContextOptions()));
        _floor = new TwoThreadHandoff(spinCount);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _executor.Dispose();
        _floor.Dispose();
    }

    [IterationSetup]
    public void GoIdle() => Thread.Sleep(5);

    [Benchmark(Baseline = true, Description = "Floor after 5 ms idle")]
    public ValueTask<int> Floor() => _floor.RunAsync(s_work);

    [Benchmark(Description = "SyncExecutor.RunAsync after 5 ms idle")]
    public Task<int> Executor() => _executor.RunAsync(s_work);

    [Benchmark(Description = "Task.Run after 5 ms idle")]
    public Task<int> TaskRun() => Task.Run(s_work);
}
