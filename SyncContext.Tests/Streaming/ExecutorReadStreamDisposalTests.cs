using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Routing.Streaming;
using SyncContext.Tests.Execution;

namespace SyncContext.Tests.Streaming;

public class ExecutorReadStreamDisposalTests
{
    [Fact]
    public async Task A_stream_whose_disposal_is_refused_for_its_predicted_wait_is_still_disposed()
    {
        var clock = new FakeTimeProvider();
        using var executor = new SyncExecutor(
            Options.Create(new SyncContextOptions { MaxThreads = 1, MinThreads = 0, SpinCount = 0, MaxQueueTime = TimeSpan.FromSeconds(1) }),
            timeProvider: clock);
        await ExecutorQueueTimeTests.LearnRunTimeAsync(executor, clock, TimeSpan.FromSeconds(3));
        var (blocker, gate) = await ExecutorFactory.BlockOneWorkerAsync(executor);
        var inner = new WatchedStream();

        // 1 x 3 s ahead of it on 1 thread, against a bound of 1 s: refused at once, so it is disposed here.
        await new ExecutorReadStream(inner, executor).DisposeAsync();

        inner.Disposed.ShouldBeTrue();
        gate.Set();
        await blocker.WaitAsync(TestHosts.HangGuard);
    }

    private sealed class WatchedStream : MemoryStream
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
