namespace SyncContext.Tests;

/// <summary>
/// Tests that hold a real deadline (a host's shutdown timeout against Kestrel) run alone, after the parallel ones: beside
/// the whole suite on two cores, a response that had a second of slack was once written after the deadline (two resets in
/// about one suite run of four).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Deadlines, run alone";
}
