using SyncContext.Sessions.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite session store.</summary>
public static class SqliteSessionStoreServiceCollectionExtensions
{
    /// <summary>
    /// Backs ASP.NET Core's sessions (<c>app.UseSession()</c>, <c>HttpContext.Session</c>) with a
    /// <see cref="SqliteSessionStore"/>, loaded and saved on the SyncContext executor with the request's context.
    /// Configure the session itself (cookie, <c>IdleTimeout</c>) with <c>AddSession(options =&gt; ...)</c> as usual.
    /// Options are validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Chooses the database, or <see langword="null"/> for an in-memory one of the app's own.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddSqliteSessionStore(this IServiceCollection services, Action<SqliteSessionStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<SqliteSessionStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(static o => o.ExpiredItemsDeletionInterval > TimeSpan.Zero, "SqliteSessionStoreOptions.ExpiredItemsDeletionInterval must be positive.")
            .Validate(static o => o.TimeProvider is not null, "SqliteSessionStoreOptions.TimeProvider must not be null.")
            .ValidateOnStart();
        return services.AddSyncSessionStore<SqliteSessionStore>();
    }
}
