using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Execution;

public class IdleSpinPolicyTests
{
    [Fact]
    public void SpinCount_zero_never_spins()
    {
        var policy = new IdleSpinPolicy(maxSpin: 0);

        policy.SpinFor(cpuBudgetSpent: false).ShouldBe(0);
        policy.Caught();
        policy.SpinFor(cpuBudgetSpent: false).ShouldBe(0);
    }

    [Fact]
    public void No_worker_spins_while_CPU_bound_items_fill_the_budget()
        => new IdleSpinPolicy(maxSpin: 100).SpinFor(cpuBudgetSpent: true).ShouldBe(0);

    [Fact]
    public void The_spin_halves_each_time_it_runs_out_down_to_a_sixteenth_of_SpinCount()
    {
        var policy = new IdleSpinPolicy(maxSpin: 100);

        var lengths = Enumerable.Range(0, 6).Select(_ =>
        {
            policy.RanOut();
            return policy.SpinLimit;
        }).ToList();

        lengths.ShouldBe([50, 25, 12, 6, 6, 6]);
        policy.SpinFor(cpuBudgetSpent: false).ShouldBe(6);
    }

    [Fact]
    public void The_spin_doubles_each_time_it_catches_work_up_to_SpinCount()
    {
        var policy = new IdleSpinPolicy(maxSpin: 100);
        for (var i = 0; i < 10; i++)
        {
            policy.RanOut();
        }

        var lengths = Enumerable.Range(0, 6).Select(_ =>
        {
            policy.Caught();
            return policy.SpinLimit;
        }).ToList();

        lengths.ShouldBe([12, 24, 48, 96, 100, 100]);
    }
}
