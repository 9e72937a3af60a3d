using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;
using SyncContext.Tests.Execution;

namespace SyncContext.Tests.Routing;

public class CpuBudgetTests
{
    [Fact]
    public async Task A_CPU_bound_endpoint_runs_at_most_CpuBudget_requests_at_once_while_an_IO_bound_endpoint_beside_it_is_not_held()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows())
        {
            return; // no per-thread CPU clock: nothing is learnt to be CPU-bound
        }

        var hashing = 0;
        var mostHashing = 0;
        var querying = 0;
        using var release = new ManualResetEventSlim(initialState: true);
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.MapGet("/hash", () =>
                {
                    CpuWork.RaiseTo(ref mostHashing, Interlocked.Increment(ref hashing));
                    CpuWork.Compute(TimeSpan.FromMilliseconds(5));
                    Interlocked.Decrement(ref hashing);
                    return "hashed";
                }).OffloadSync();
                app.MapGet("/query", () =>
                {
                    Interlocked.Increment(ref querying);
                    Thread.Sleep(20);
                    release.Wait(TestHosts.HangGuard);
                    Interlocked.Decrement(ref querying);
                    return "queried";
                }).OffloadSync();
            },
            options: o =>
            {
                o.CpuBudget = 1;
                o.MaxThreads = 16;
                o.MinThreads = 0;
            });
        using var client = host.Server.CreateClient();

        // A request each teaches the executor which endpoint computes and which blocks. One is not always enough on a
        // busy machine (a pause in the middle of the item, a GC, reads as blocking; CI failed so once in the like test).
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        for (var i = 0; i < 50 && executor.Workers.Profiles.CpuBoundCount == 0; i++)
        {
            (await client.GetStringAsync("/hash")).ShouldBe("hashed");
        }

        executor.Workers.Profiles.CpuBoundCount.ShouldBe(1, "the 5 ms requests were never measured as CPU-bound");
        (await client.GetStringAsync("/query")).ShouldBe("queried");
        executor.Workers.Profiles.CpuBoundCount.ShouldBe(1);
        mostHashing = 0;
        release.Reset();

        var hashes = Enumerable.Range(0, 8).Select(_ => client.GetStringAsync("/hash")).ToList();
        var queries = Enumerable.Range(0, 4).Select(_ => client.GetStringAsync("/query")).ToList();
        await TestHosts.WaitUntilAsync(() => Volatile.Read(ref querying) == 4, "the four I/O-bound requests to run at once beside the CPU-bound ones");
        release.Set();

        (await Task.WhenAll(hashes).WaitAsync(TestHosts.HangGuard)).ShouldAllBe(body => body == "hashed");
        (await Task.WhenAll(queries).WaitAsync(TestHosts.HangGuard)).ShouldAllBe(body => body == "queried");
        mostHashing.ShouldBe(1);
        executor.Workers.HeldCount.ShouldBe(0);
    }
}
