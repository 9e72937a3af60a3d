using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class CpuBudgetPolicyTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)] // the budget is spent
    [InlineData(4, false)]
    public void A_CPU_bound_item_starts_only_while_fewer_than_the_budget_run(int running, bool start)
        => new CpuBudgetPolicy(budget: 3, cores: 4, workConserving: false).MayStart(running, threadPoolPending: 0).ShouldBe(start);

    [Fact]
    public void A_strict_budget_does_not_widen_when_the_thread_pool_is_idle()
        => new CpuBudgetPolicy(budget: 1, cores: 2, workConserving: false).MayStart(1, threadPoolPending: 0).ShouldBeFalse();

    [Theory]
    [InlineData(0, 2)] // nothing waits on the pool: every core
    [InlineData(1, 1)] // async work waits: the budget
    [InlineData(50, 1)]
    public void A_work_conserving_budget_widens_to_every_core_only_while_the_thread_pool_has_no_queued_work(long pending, int budget)
        => new CpuBudgetPolicy(budget: 1, cores: 2, workConserving: true).CurrentBudget(pending).ShouldBe(budget);

    [Fact]
    public void The_gate_holds_items_beyond_the_budget_and_hands_them_out_oldest_first_as_slots_free()
    {
        var gate = new CpuBudgetGate(new CpuBudgetPolicy(budget: 1, cores: 2, workConserving: false));
        var (first, second, third) = (new Task(() => { }), new Task(() => { }), new Task(() => { }));

        gate.TryEnter(new QueuedWork(first, 0)).ShouldBeTrue();
        gate.TryEnter(new QueuedWork(second, 0)).ShouldBeFalse();
        gate.TryEnter(new QueuedWork(third, 0)).ShouldBeFalse();
        gate.RunningCount.ShouldBe(1);
        gate.HeldCount.ShouldBe(2);
        gate.TryTakeHeld(out _).ShouldBeFalse("the budget is still spent");

        gate.Exit();
        gate.TryTakeHeld(out var next).ShouldBeTrue();
        next.Task.ShouldBeSameAs(second);
        gate.TryTakeHeld(out _).ShouldBeFalse();
        gate.RunningCount.ShouldBe(1);
        gate.HeldCount.ShouldBe(1);
    }

    [Fact]
    public void A_new_item_does_not_overtake_held_ones_when_a_slot_frees()
    {
        var gate = new CpuBudgetGate(new CpuBudgetPolicy(budget: 1, cores: 2, workConserving: false));
        var (first, held, late) = (new Task(() => { }), new Task(() => { }), new Task(() => { }));
        gate.TryEnter(new QueuedWork(first, 0)).ShouldBeTrue();
        gate.TryEnter(new QueuedWork(held, 0)).ShouldBeFalse();

        gate.Exit();

        gate.TryEnter(new QueuedWork(late, 0)).ShouldBeFalse();
        gate.TryTakeHeld(out var next).ShouldBeTrue();
        next.Task.ShouldBeSameAs(held);
    }

    [Fact]
    public void Held_items_of_work_that_stopped_being_CPU_bound_are_released_and_the_rest_keep_their_order()
    {
        var gate = new CpuBudgetGate(new CpuBudgetPolicy(budget: 1, cores: 2, workConserving: false));
        var tasks = Enumerable.Range(0, 5).Select(_ => new Task(() => { })).ToArray();
        gate.TryEnter(new QueuedWork(tasks[0], 0)).ShouldBeTrue();
        foreach (var task in tasks.Skip(1))
        {
            gate.TryEnter(new QueuedWork(task, 0)).ShouldBeFalse();
        }

        var released = gate.TakeReleased(task => task == tasks[1] || task == tasks[3]);

        released.ShouldNotBeNull().Select(item => item.Task).ShouldBe([tasks[2], tasks[4]]);
        gate.HeldCount.ShouldBe(2);
        gate.Exit();
        gate.TryTakeHeld(out var next).ShouldBeTrue();
        next.Task.ShouldBeSameAs(tasks[1]);
    }
}
