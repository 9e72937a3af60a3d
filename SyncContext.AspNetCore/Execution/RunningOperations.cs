namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// The operations (HTTP requests, keyed by their <c>HttpContext</c>) whose own work, their handler, runs on one of the
/// executor's workers now: one slot per worker. A flow of such an operation that reaches the executor from another
/// thread while that work runs is taken to descend from it (see <see cref="DescendantFlow"/>), which a handler then
/// needs no marked execution context for: the mark would be two objects per request, the slot is none.
/// </summary>
/// <remarks>
/// <para>
/// The slot says "this operation's handler runs on the executor now", which is less precise than a marked execution
/// context: a flow of the same request that did not descend from the handler (a task a middleware forked before the
/// handler and left running beside it) is taken for a descendant while the handler runs, and so runs inline. Only work
/// of which a request has one at a time, and awaits while it runs (its handler, its error handler), takes a slot.
/// </para>
/// <para>
/// Looking an operation up reads every worker's slot: as many reads as the executor has threads, paid by the calls that
/// are not a request's own work (<c>IRunSync</c> from user code, hooks, sessions, lazy results' steps) and only when the
/// caller's flow belongs to a request.
/// </para>
/// </remarks>
internal sealed class RunningOperations
{
    [ThreadStatic]
    private static Slot? t_slot;

    private readonly Lock _gate = new();
    private Slot[] _slots = [];

    /// <summary>Gives the calling worker thread its slot, for as long as it runs items.</summary>
    public void Join()
    {
        var slot = new Slot(this);
        lock (_gate)
        {
            _slots = [.. _slots, slot];
        }

        t_slot = slot;
    }

    /// <summary>Takes the calling worker thread's slot back, when it exits.</summary>
    public void Leave()
    {
        if (t_slot is not { } slot || !ReferenceEquals(slot.Owner, this))
        {
            return;
        }

        t_slot = null;
        lock (_gate)
        {
            _slots = Array.FindAll(_slots, s => !ReferenceEquals(s, slot));
        }
    }

    /// <summary>Whether <paramref name="operation"/>'s own work runs on one of the workers now.</summary>
    public bool IsRunning(object operation)
    {
        foreach (var slot in Volatile.Read(ref _slots))
        {
            if (ReferenceEquals(Volatile.Read(ref slot.Operation), operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Puts <paramref name="operation"/> in the calling worker's slot while its work runs; <see langword="false"/> on a
    /// thread that is not one of these workers. <paramref name="previous"/> is what the slot held (an item of another
    /// operation that runs this one inline), for <see cref="Exit"/>.
    /// </summary>
    public bool TryEnter(object operation, out object? previous)
    {
        if (t_slot is not { } slot || !ReferenceEquals(slot.Owner, this))
        {
            previous = null;
            return false;
        }

        previous = slot.Operation;
        Volatile.Write(ref slot.Operation, operation);
        return true;
    }

    /// <summary>Gives the calling worker's slot back what <see cref="TryEnter"/> found in it.</summary>
    public void Exit(object? previous)
    {
        if (t_slot is { } slot && ReferenceEquals(slot.Owner, this))
        {
            Volatile.Write(ref slot.Operation, previous);
        }
    }

    private sealed class Slot(RunningOperations owner)
    {
        public readonly RunningOperations Owner = owner;
        public object? Operation;
    }
}
