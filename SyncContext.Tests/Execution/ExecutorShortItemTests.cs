namespace SyncContext.Tests.Execution;

[Collection(TimingCollection.Name)] // the wait is skipped while other work waits for the thread pool: not beside the parallel tests
public class ExecutorShortItemTests
{
    [Fact]
    public async Task A_trivial_item_handed_to_a_spinning_worker_comes_back_completed_so_the_caller_goes_on_without_a_hop()
    {
        if (Environment.ProcessorCount < 2)
        {
            return; // the caller's wait and the worker's run need a core each
        }

        // Spins of milliseconds even at their shortest, so that the worker spins whenever the test queues an item.
        using var executor = ExecutorFactory.Create(maxThreads: 2, minThreads: 1, spinCount: 100_000);
        for (var i = 0; i < 200; i++)
        {
            await executor.RunAsync(static () => 1); // learnt: a microsecond an item
        }

        var handed = 0;
        var completed = 0;
        for (var i = 0; i < 500; i++)
        {
            if (!SpinWait.SpinUntil(() => executor.Workers.HasSpinner, TimeSpan.FromMilliseconds(20)))
            {
                await executor.RunAsync(static () => 1); // the worker parked (its spin ran out): wake it, uncounted
                continue;
            }

            handed++;
            var task = executor.RunAsync(static () => 1);
            if (task.IsCompleted)
            {
                completed++;
            }

            (await task).ShouldBe(1);
        }

        // Without the wait almost none comes back completed (2 of 500 when checked): the caller returns as soon as the
        // item is handed over. A loaded machine takes the worker's core now and then, and the pool may have work of
        // its own (the test framework's), so a quarter is enough.
        handed.ShouldBeGreaterThan(250, "the worker should spin between items");
        completed.ShouldBeGreaterThan(handed / 4, $"{completed} of {handed} came back completed");
    }
}
