using System.Collections;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Streaming;

public class QueueTimeDisposalTests
{
    [Fact]
    public async Task A_lazy_sequence_whose_disposal_waited_past_MaxQueueTime_is_still_disposed()
    {
        var clock = new FakeTimeProvider();
        using var gate = new ManualResetEventSlim();
        using var atTheEnd = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        var slowStarted = false;
        string? disposedOn = null;
        var sequence = new WatchedSequence(
            atTheEnd: () =>
            {
                // On the worker, in the last fill: the test queues another request now, so the disposal waits behind it.
                atTheEnd.Set();
                proceed.Wait(TestHosts.HangGuard);
            },
            disposed: () => Volatile.Write(ref disposedOn, Thread.CurrentThread.Name ?? "pool"));
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.MapGet("/seq", IEnumerable<int> () => sequence).OffloadSync();
                app.MapGet("/slow", () =>
                {
                    Volatile.Write(ref slowStarted, true);
                    gate.Wait(TestHosts.HangGuard);
                    return "slow";
                }).OffloadSync();
            },
            options: o =>
            {
                o.MaxThreads = 1;
                o.MinThreads = 1;
                o.SpinCount = 0;
                o.MaxQueueTime = TimeSpan.FromSeconds(1);
            },
            services: b => b.Services.AddSingleton<TimeProvider>(clock));
        var executor = host.Services.GetRequiredService<SyncExecutor>();
        using var client = host.Server.CreateClient();

        var streamed = client.GetStringAsync("/seq");
        await TestHosts.WaitUntilAsync(() => atTheEnd.IsSet, "the sequence's last step");
        var slow = client.GetStringAsync("/slow");
        await TestHosts.WaitUntilAsync(() => executor.QueueLength == 1, "/slow to queue behind the sequence");
        proceed.Set();
        await TestHosts.WaitUntilAsync(() => Volatile.Read(ref slowStarted) && executor.QueueLength == 1, "the disposal to wait behind /slow");
        clock.Advance(TimeSpan.FromSeconds(2));
        gate.Set();

        (await streamed.WaitAsync(TestHosts.HangGuard)).ShouldBe("[1,2]");
        (await slow.WaitAsync(TestHosts.HangGuard)).ShouldBe("slow");
        Volatile.Read(ref disposedOn).ShouldNotBeNull("failed for its wait, the disposal still happens, off the executor");
    }

    /// <summary>Yields 1 and 2, calls <c>atTheEnd</c> when asked past them, and reports its enumerator's disposal.</summary>
    private sealed class WatchedSequence(Action atTheEnd, Action disposed) : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator() => new Enumerator(atTheEnd, disposed);

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private sealed class Enumerator(Action atTheEnd, Action disposed) : IEnumerator<int>
        {
            public int Current { get; private set; }

            object IEnumerator.Current => Current;

            public bool MoveNext()
            {
                if (Current < 2)
                {
                    Current++;
                    return true;
                }

                atTheEnd();
                return false;
            }

            public void Reset() => throw new NotSupportedException();

            public void Dispose() => disposed();
        }
    }
}
