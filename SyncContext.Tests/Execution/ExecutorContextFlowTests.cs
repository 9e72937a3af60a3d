using System.Diagnostics;
using System.Globalization;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class ExecutorContextFlowTests
{
    private static readonly AsyncLocal<string?> s_local = new();

    [Fact]
    public async Task Work_sees_the_callers_async_local_culture_and_activity()
    {
        using var executor = ExecutorFactory.Create();

        var seen = await RunWithCallerContextAsync(executor);

        seen.ShouldBe("caller|de-DE|caller-activity|SyncContext");
    }

    private static async Task<string> RunWithCallerContextAsync(SyncExecutor executor)
    {
        // An async method's changes to the execution context end with it, so the test's own context is untouched.
        s_local.Value = "caller";
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        using var activity = new Activity("caller-activity").Start();

        return await executor.RunAsync(() =>
            $"{s_local.Value}|{CultureInfo.CurrentCulture.Name}|{Activity.Current?.OperationName}|{Thread.CurrentThread.Name![..11]}");
    }

    [Fact]
    public async Task Changes_made_by_the_work_do_not_leak_to_the_caller()
    {
        using var executor = ExecutorFactory.Create();
        s_local.Value = "caller";
        var culture = CultureInfo.CurrentCulture;

        await executor.RunAsync(() =>
        {
            s_local.Value = "work";
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            new Activity("work-activity").Start();
        });

        s_local.Value.ShouldBe("caller");
        CultureInfo.CurrentCulture.ShouldBe(culture);
        Activity.Current.ShouldBeNull();
    }

    [Fact]
    public async Task Changes_made_by_one_item_do_not_leak_to_the_next_item_on_the_same_thread()
    {
        using var executor = ExecutorFactory.Create(maxThreads: 1, minThreads: 1);
        var threadCulture = await executor.RunAsync(() => CultureInfo.CurrentCulture.Name);

        var firstThread = await executor.RunAsync(() =>
        {
            s_local.Value = "first";
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            new Activity("first-activity").Start();
            return Environment.CurrentManagedThreadId;
        });
        var (secondThread, seen) = await executor.RunAsync(() =>
            (Environment.CurrentManagedThreadId, $"{s_local.Value ?? "null"}|{CultureInfo.CurrentCulture.Name}|{Activity.Current?.OperationName ?? "null"}"));

        secondThread.ShouldBe(firstThread);
        seen.ShouldBe($"null|{threadCulture}|null");
    }

    [Fact]
    public async Task Every_overload_runs_on_the_executor_with_the_callers_context()
    {
        using var executor = ExecutorFactory.Create();
        s_local.Value = "caller";
        var seen = new List<string>();
        string Where() => $"{Thread.CurrentThread.Name![..11]}:{s_local.Value}";

        await executor.RunAsync(() => { lock (seen) { seen.Add(Where()); } });
        seen.Add(await executor.RunAsync(Where));
        await executor.RunAsync(list => { lock (list) { list.Add(Where()); } }, seen);
        seen.Add(await executor.RunAsync(static (Func<string> where) => where(), (Func<string>)Where));

        seen.ShouldBe(Enumerable.Repeat("SyncContext:caller", 4));
    }
}
