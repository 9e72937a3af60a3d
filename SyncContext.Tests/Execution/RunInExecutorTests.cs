using System.Diagnostics;
using System.Globalization;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class RunInExecutorTests
{
    private static readonly AsyncLocal<string?> s_local = new();

    [Fact]
    public async Task Work_runs_on_a_SyncContext_thread_without_the_callers_async_local_culture_or_activity()
    {
        using var executor = ExecutorFactory.Create();
        var runInExecutor = new RunInExecutor(executor);

        var (withContext, withoutContext) = await SeeFromCallerContextAsync(executor, runInExecutor);

        withContext.ShouldBe("caller|de-DE|caller-activity|SyncContext");
        withoutContext.ShouldStartWith("(none)|");
        withoutContext.ShouldNotContain("de-DE");
        withoutContext.ShouldEndWith("|(none)|SyncContext");
    }

    [Fact]
    public async Task Called_from_an_executor_thread_it_runs_inline_and_still_without_the_callers_context()
    {
        using var executor = ExecutorFactory.Create();
        var runInExecutor = new RunInExecutor(executor);

        var seen = await executor.RunAsync(() =>
        {
            s_local.Value = "outer work";
            var worker = Environment.CurrentManagedThreadId;
            var inner = runInExecutor.RunAsync(() => $"{s_local.Value ?? "(none)"}|{Environment.CurrentManagedThreadId == worker}");
            inner.IsCompleted.ShouldBeTrue(); // inline: a queued item could wait behind its caller
            return $"{inner.Result}|after: {s_local.Value}";
        });

        seen.ShouldBe("(none)|True|after: outer work");
    }

    [Fact]
    public async Task The_callers_context_and_flow_are_as_before_the_call()
    {
        using var executor = ExecutorFactory.Create();
        var runInExecutor = new RunInExecutor(executor);
        s_local.Value = "caller";

        await runInExecutor.RunAsync(static () => s_local.Value = "work");
        var fromState = await runInExecutor.RunAsync(static state => state + " via state", s_local.Value);

        s_local.Value.ShouldBe("caller");
        ExecutionContext.IsFlowSuppressed().ShouldBeFalse();
        fromState.ShouldBe("caller via state");
        (await executor.RunAsync(static () => s_local.Value)).ShouldBe("caller");
    }

    [Fact]
    public async Task In_a_request_IRunInExecutor_sees_no_HttpContext_where_IRunSync_sees_the_requests()
    {
        await using var host = await TestHosts.StartAsync(app =>
            app.MapGet("/contrast", async (IRunSync runSync, IRunInExecutor runInExecutor, IHttpContextAccessor accessor) =>
            {
                var copied = await runSync.RunAsync(() => Describe(accessor));
                var notCopied = await runInExecutor.RunAsync(() => Describe(accessor));
                return $"run_sync: {copied}; run_in_executor: {notCopied}";
            }));

        await host.Scenario(_ =>
        {
            _.Get.Url("/contrast");
            _.ContentShouldBe("run_sync: /contrast on SyncContext; run_in_executor: (no request) on SyncContext");
        });
    }

    [Fact]
    public async Task A_throwing_work_item_faults_the_task_with_its_exception()
    {
        using var executor = ExecutorFactory.Create();
        var runInExecutor = new RunInExecutor(executor);

        var thrown = await Should.ThrowAsync<InvalidOperationException>(() => runInExecutor.RunAsync(static () => throw new InvalidOperationException("from the work")));

        thrown.Message.ShouldBe("from the work");
        thrown.StackTrace.ShouldNotBeNull().ShouldContain(nameof(A_throwing_work_item_faults_the_task_with_its_exception));
    }

    private static string Describe(IHttpContextAccessor accessor)
        => $"{accessor.HttpContext?.Request.Path.Value ?? "(no request)"} on {Thread.CurrentThread.Name![..11]}";

    private static async Task<(string With, string Without)> SeeFromCallerContextAsync(SyncExecutor executor, RunInExecutor runInExecutor)
    {
        // An async method's changes to the execution context end with it, so the test's own context is untouched.
        var before = CultureInfo.CurrentCulture;
        s_local.Value = "caller";
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        using var activity = new Activity("caller-activity").Start();
        static string See() => $"{s_local.Value ?? "(none)"}|{CultureInfo.CurrentCulture.Name}|{Activity.Current?.OperationName ?? "(none)"}|{Thread.CurrentThread.Name![..11]}";

        var with = await executor.RunAsync(See);
        var without = await runInExecutor.RunAsync(See);
        CultureInfo.CurrentCulture = before;
        return (with, without);
    }
}
