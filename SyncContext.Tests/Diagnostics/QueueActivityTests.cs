using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;
using SyncContext.Tests.Execution;

namespace SyncContext.Tests.Diagnostics;

public sealed class QueueActivityTests : IDisposable
{
    private const string CallerSource = "SyncContext.Tests.Caller";

    private static readonly ActivitySource s_caller = new(CallerSource);

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public QueueActivityTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SyncContextActivity.SourceName or CallerSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_queued_item_shows_its_wait_as_a_child_of_the_callers_activity_and_leaves_the_callers_current_activity_alone()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, Timeout.InfiniteTimeSpan);
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        using var caller = s_caller.StartActivity("request").ShouldNotBeNull();
        Activity? seenByWork = null;

        var work = executor.RunAsync(() => seenByWork = Activity.Current);
        Activity.Current.ShouldBeSameAs(caller);
        clock.Advance(TimeSpan.FromSeconds(2));
        gate.Set();
        await work.WaitAsync(TestHosts.HangGuard);
        await blocker.WaitAsync(TestHosts.HangGuard);

        var wait = QueueWaitOf(caller);
        wait.Duration.ShouldBe(TimeSpan.FromSeconds(2));
        wait.TraceId.ShouldBe(caller.TraceId);
        wait.Kind.ShouldBe(ActivityKind.Internal);
        wait.GetTagItem("synccontext.executor.name").ShouldBe("default");
        wait.GetTagItem("synccontext.work.result").ShouldBe("started");
        wait.Status.ShouldBe(ActivityStatusCode.Unset);
        seenByWork.ShouldBeSameAs(caller, "the work still sees the request's activity, not the queue's");
    }

    [Fact]
    public async Task An_item_that_waited_past_MaxQueueTime_shows_a_failed_queue_wait()
    {
        var clock = new FakeTimeProvider();
        using var executor = Create(clock, TimeSpan.FromSeconds(1));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        using var caller = s_caller.StartActivity("request").ShouldNotBeNull();

        var work = executor.RunAsync(() => { });
        clock.Advance(TimeSpan.FromSeconds(3));
        gate.Set();
        await Should.ThrowAsync<WorkRejectedException>(work.WaitAsync(TestHosts.HangGuard));
        await blocker.WaitAsync(TestHosts.HangGuard);

        var wait = QueueWaitOf(caller);
        wait.Duration.ShouldBe(TimeSpan.FromSeconds(3));
        wait.Status.ShouldBe(ActivityStatusCode.Error);
        wait.GetTagItem("synccontext.work.result").ShouldBe("queue_timeout");
        wait.GetTagItem("error.type").ShouldBe("queue_timeout");
    }

    private Activity QueueWaitOf(Activity caller)
        => _stopped.Where(a => a.OperationName == SyncContextActivity.QueueActivityName && a.ParentSpanId == caller.SpanId).ShouldHaveSingleItem();

    private static SyncExecutor Create(TimeProvider clock, TimeSpan maxQueueTime)
        => new(
            Options.Create(new SyncContextOptions { MaxThreads = 1, MinThreads = 0, SpinCount = 0, MaxQueueTime = maxQueueTime }),
            timeProvider: clock);
}
