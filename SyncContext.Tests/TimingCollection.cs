namespace SyncContext.Tests;

/// <summary>
/// Tests that need the machine to themselves run alone, after the parallel ones: those that hold a real deadline (a host's
/// shutdown timeout against Kestrel: beside the whole suite on two cores, two requests were reset in about one suite run
/// of four), and those that need the thread pool idle.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Run alone";
}
