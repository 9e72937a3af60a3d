namespace SyncContext.Sessions.Sqlite;

/// <summary>Where and how <see cref="SqliteSessionStore"/> keeps sessions.</summary>
public sealed class SqliteSessionStoreOptions
{
    /// <summary>
    /// Gets or sets the Microsoft.Data.Sqlite connection string: a file (<c>Data Source=sessions.db</c>, put in
    /// write-ahead-log mode on first use) or a named shared in-memory database
    /// (<c>Data Source=sessions;Mode=Memory;Cache=Shared</c>, which lives as long as the store).
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: an in-memory database of the store's own, which no other
    /// store or app sees, gone when the app stops.
    /// </value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets how often, at most, a save also deletes the sessions that have expired.</summary>
    /// <value>The default value is 30 minutes, as for ASP.NET Core's SQL Server cache.</value>
    public TimeSpan ExpiredItemsDeletionInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets the clock that decides when a session has expired.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
