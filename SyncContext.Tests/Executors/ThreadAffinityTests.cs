using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.Tests.Executors;

/// <summary>
/// <see cref="SyncContextOptions.ThreadAffinity"/> (asgiref's <c>thread_sensitive</c>): one thread for all the work, in
/// order; a call from that thread runs inline; a call that would wait for its own item fails fast.
/// </summary>
public sealed class ThreadAffinityTests : IDisposable
{
    private readonly SyncExecutor _executor = new("legacy-com", new SyncContextOptions { ThreadAffinity = true, SpinCount = 0 }, logger: null, metrics: null);

    public void Dispose() => _executor.Dispose();

    [Fact]
    public async Task Every_item_runs_on_the_one_thread_in_the_order_it_was_queued()
    {
        using var gate = new ManualResetEventSlim();
        var first = _executor.RunAsync(() => gate.Wait(TestHosts.HangGuard));
        var ran = new List<(int Item, int Thread)>();
        var items = Enumerable.Range(0, 50)
            .Select(i => _executor.RunAsync(() => ran.Add((i, Environment.CurrentManagedThreadId)))) // one thread: no lock needed
            .ToArray();

        gate.Set();
        await Task.WhenAll(items.Append(first)).WaitAsync(TestHosts.HangGuard);

        ran.Select(r => r.Item).ShouldBe(Enumerable.Range(0, 50));
        ran.Select(r => r.Thread).Distinct().Count().ShouldBe(1);
        _executor.ThreadCount.ShouldBe(1);
        _executor.HasThreadAffinity.ShouldBeTrue();
    }

    [Fact]
    public async Task Its_one_thread_is_started_with_it_named_after_the_executor_and_kept()
    {
        var thread = await _executor.RunAsync(() => Thread.CurrentThread);
        var again = await _executor.RunAsync(() => Thread.CurrentThread);

        thread.Name.ShouldBe("SyncContext legacy-com #1");
        again.ShouldBeSameAs(thread);
    }

    [Fact]
    public async Task A_call_from_its_own_thread_runs_inline_on_that_thread()
    {
        var (outer, inner) = await _executor.RunAsync(() =>
        {
            var nested = _executor.RunAsync(() => Environment.CurrentManagedThreadId);
            return (Environment.CurrentManagedThreadId, nested.Result); // inline: complete before Result is read
        }).WaitAsync(TestHosts.HangGuard);

        inner.ShouldBe(outer);
    }

    [Fact]
    public async Task A_call_that_would_wait_for_its_own_item_fails_fast_instead_of_deadlocking()
    {
        var failure = await _executor.RunAsync(() =>
        {
            try
            {
                Task.Run(() => _executor.RunAsync(() => 1)).Wait();
                return null;
            }
            catch (AggregateException e)
            {
                return e.InnerException;
            }
        }).WaitAsync(TestHosts.HangGuard);

        var error = failure.ShouldBeOfType<InvalidOperationException>();
        error.Message.ShouldContain("'legacy-com'");
        error.Message.ShouldContain("ThreadAffinity");
    }

    [Fact]
    public async Task A_call_from_a_flow_of_an_item_that_has_finished_is_queued_and_runs_on_the_one_thread()
    {
        var itemDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int>? later = null;
        var itemThread = await _executor.RunAsync(() =>
        {
            later = Task.Run(async () =>
            {
                await itemDone.Task;
                return await _executor.RunAsync(() => Environment.CurrentManagedThreadId);
            });
            return Environment.CurrentManagedThreadId;
        });

        itemDone.SetResult();

        (await later!.WaitAsync(TestHosts.HangGuard)).ShouldBe(itemThread);
    }

    [Fact]
    public async Task A_continuation_posted_for_the_running_item_by_another_thread_runs_on_the_pool_instead_of_failing_the_poster()
    {
        // The native AOT offload resumes an endpoint's awaits on the executor through this context; an item that blocks
        // on what such a continuation completes would wait for itself.
        var context = new ExecutorSynchronizationContext(_executor);
        var ranOnPool = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        await _executor.RunAsync(() => Task.Run(() => context.Post(_ => ranOnPool.SetResult(Thread.CurrentThread.IsThreadPoolThread), null)).Wait())
            .WaitAsync(TestHosts.HangGuard);

        (await ranOnPool.Task.WaitAsync(TestHosts.HangGuard)).ShouldBeTrue();
    }

    [Fact]
    public async Task AddSyncExecutor_with_ThreadAffinity_gives_an_executor_with_one_thread_whatever_MaxThreads_says()
    {
        var services = new ServiceCollection().AddLogging().AddSyncExecutor("legacy-com", o =>
        {
            o.ThreadAffinity = true;
            o.MaxThreads = 8;
        });
        await using var provider = services.BuildServiceProvider();
        var executor = provider.GetRequiredKeyedService<SyncExecutor>("legacy-com");
        using var gate = new ManualResetEventSlim();

        var blocked = executor.RunAsync(() => gate.Wait(TestHosts.HangGuard));
        var queued = executor.RunAsync(() => Environment.CurrentManagedThreadId);
        await TestHosts.WaitUntilAsync(() => executor.RunningCount == 1, "the first item to run");

        executor.ThreadCount.ShouldBe(1);
        queued.IsCompleted.ShouldBeFalse();
        gate.Set();
        await Task.WhenAll(blocked, queued).WaitAsync(TestHosts.HangGuard);
    }
}
