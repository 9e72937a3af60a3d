namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// The state of a work item that says which kind of work it is (its endpoint, its delegate), so that the
/// executor learns one <see cref="WorkProfile"/> per kind rather than per state type.
/// </summary>
internal interface IKeyedWork
{
    /// <summary>Gets the key that items of the same kind share: compared by reference, and kept for the executor's life.</summary>
    object WorkKey { get; }

    /// <summary>
    /// Gets the route template of the endpoint the item serves (<c>http.route</c> on the executor's instruments and
    /// activities), or <see langword="null"/> for work that serves none. Read only while someone listens.
    /// </summary>
    string? Route => null;
}
