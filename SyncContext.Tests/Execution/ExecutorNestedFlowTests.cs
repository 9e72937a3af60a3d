using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.ErrorHandling;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

/// <summary>
/// Work on a worker blocks on an async method that reaches the executor again from a pool thread after an
/// await. Queued, that inner call would wait behind the very workers blocked on it.
/// </summary>
public class ExecutorNestedFlowTests
{
    private const int Callers = 4;

    [Fact]
    public async Task Flow_nested_calls_from_pool_threads_complete_when_every_worker_waits_for_one()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 2);
        var saturated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var outers = Enumerable.Range(0, Callers)
            .Select(_ => executor.RunAsync(() => InnerAsync(executor, saturated.Task).GetAwaiter().GetResult()))
            .ToList();

        // Both workers are blocked in an outer item and the other two outers are queued behind them before
        // any inner call is made: the inner calls cannot get a worker.
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 2 && executor.QueueLength == Callers - 2, "two outers running and two queued");
        saturated.SetResult();

        var inners = await Task.WhenAll(outers).WaitAsync(TestHosts.HangGuard);

        // Inline on the calling thread: the pool thread running the continuation a worker is blocked on.
        inners.ShouldAllBe(inner => inner == "pool");
    }

    [Fact]
    public async Task Task_Run_inside_the_work_descends_from_it_and_runs_inline_on_the_pool()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1);

        // The only worker blocks on a pool task that calls the executor: queued, that call would wait for this worker.
        var inner = await executor.RunAsync(() => Task.Run(() => executor.RunAsync(static () => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed"))
            .WaitAsync(TestHosts.HangGuard).GetAwaiter().GetResult())
            .WaitAsync(TestHosts.HangGuard);

        inner.ShouldBe("pool");
    }

    [Fact]
    public async Task Unrelated_pool_thread_caller_is_queued_not_run_inline()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1);
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);

        var unrelated = await Task.Factory.StartNew(
            () => executor.RunAsync(() => Thread.CurrentThread.Name), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);

        executor.QueueLength.ShouldBe(1);
        unrelated.IsCompleted.ShouldBeFalse();
        gate.Set();
        await blocker.WaitAsync(TestHosts.HangGuard);
        (await unrelated.WaitAsync(TestHosts.HangGuard)).ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Caller_flow_is_not_marked_by_the_work_it_awaited()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1);

        await executor.RunAsync(() => { });
        await Task.Yield();
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var next = executor.RunAsync(() => Thread.CurrentThread.Name);

        // Still the caller's own flow, not a descendant of the item: it waits for a worker.
        executor.QueueLength.ShouldBe(1);
        gate.Set();
        await blocker.WaitAsync(TestHosts.HangGuard);
        (await next.WaitAsync(TestHosts.HangGuard)).ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Flow_nested_offloaded_handlers_complete_with_MaxThreads_2_and_4_concurrent_requests()
    {
        var saturated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(
            app => app.MapGet("/nested", (IRunSync runSync) =>
            {
                var outer = Thread.CurrentThread.Name;
                var inner = InnerAsync(runSync, saturated.Task).GetAwaiter().GetResult();
                return $"{outer![..13]}|{inner}";
            }).OffloadSync(),
            options: o => o.MaxThreads = 2);
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var requests = Enumerable.Range(0, Callers).Select(_ => client.GetStringAsync("/nested")).ToList();
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 2 && executor.QueueLength == Callers - 2, "two requests running and two queued");
        saturated.SetResult();

        var bodies = await Task.WhenAll(requests).WaitAsync(TestHosts.HangGuard);

        bodies.ShouldAllBe(body => body == "SyncContext #|pool");
    }

    [Fact]
    public async Task Flow_nested_sync_error_handlers_complete_with_MaxThreads_2_and_4_concurrent_requests()
    {
        var saturated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                SyncContextExceptionHandlers.Use<InvalidOperationException>(app, (context, _) =>
                {
                    var runSync = context.RequestServices.GetRequiredService<IRunSync>();
                    var outer = Thread.CurrentThread.Name;
                    var inner = InnerAsync(runSync, saturated.Task).GetAwaiter().GetResult();
                    return $"{outer![..13]}|{inner}";
                });
                app.MapGet("/nested", () => Task.FromException<string>(new InvalidOperationException("boom")));
            },
            options: o => o.MaxThreads = 2);
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var requests = Enumerable.Range(0, Callers).Select(_ => client.GetAsync(new Uri("/nested", UriKind.Relative))).ToList();
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 2 && executor.QueueLength == Callers - 2, "two error handlers running and two queued");
        saturated.SetResult();

        var answers = await Task.WhenAll(requests).WaitAsync(TestHosts.HangGuard);

        foreach (var answer in answers)
        {
            (await answer.Content.ReadAsStringAsync()).ShouldBe("SyncContext #|pool");
            answer.Dispose();
        }
    }

    private static async Task<string> InnerAsync(IRunSync runSync, Task saturated)
    {
        await Task.Yield();
        await saturated.ConfigureAwait(false);
        return await runSync.RunAsync(() => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name ?? "unnamed").ConfigureAwait(false);
    }
}
