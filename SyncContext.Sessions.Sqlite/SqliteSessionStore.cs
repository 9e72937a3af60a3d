using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace SyncContext.Sessions.Sqlite;

/// <summary>
/// An <see cref="ISyncSessionStore"/> on SQLite, through Microsoft.Data.Sqlite's synchronous API. Each call opens
/// its own pooled connection, so sessions are loaded and saved concurrently; the table is created on first use.
/// </summary>
/// <remarks>
/// A session expires when it has not been saved or refreshed for its idle timeout (<c>SessionOptions.IdleTimeout</c>):
/// it is no longer loaded, and it is deleted by a later save at most every
/// <see cref="SqliteSessionStoreOptions.ExpiredItemsDeletionInterval"/>.
/// </remarks>
public sealed class SqliteSessionStore : ISyncSessionStore, IDisposable
{
    /// <summary>The table the sessions are kept in.</summary>
    public const string TableName = "SyncContextSessions";

    private const string CreateSchemaSql = $"""
        CREATE TABLE IF NOT EXISTS {TableName} (
            Key TEXT NOT NULL PRIMARY KEY,
            Data BLOB NOT NULL,
            ExpiresAt INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS {TableName}_ExpiresAt ON {TableName} (ExpiresAt);
        """;

    private const string LoadSql = $"SELECT Data FROM {TableName} WHERE Key = $key AND ExpiresAt > $now";

    private const string SaveSql = $"""
        INSERT INTO {TableName} (Key, Data, ExpiresAt) VALUES ($key, $data, $expiresAt)
        ON CONFLICT (Key) DO UPDATE SET Data = excluded.Data, ExpiresAt = excluded.ExpiresAt
        """;

    private const string RefreshSql = $"UPDATE {TableName} SET ExpiresAt = $expiresAt WHERE Key = $key AND ExpiresAt > $now";

    private const string DeleteExpiredSql = $"DELETE FROM {TableName} WHERE ExpiresAt <= $now";

    private readonly string _connectionString;
    private readonly bool _inMemory;
    private readonly string _connectionSetupSql;
    private readonly TimeProvider _clock;
    private readonly long _deletionIntervalMs;
    private readonly Lock _schemaLock = new();
    private volatile bool _schemaCreated;
    private SqliteConnection? _keepAlive;
    private long _nextDeletionAtMs;
    private bool _disposed;

    /// <summary>Creates the store; nothing is opened until the first call.</summary>
    /// <param name="options">Where the sessions are kept.</param>
    public SqliteSessionStore(IOptions<SqliteSessionStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var builder = new SqliteConnectionStringBuilder(value.ConnectionString
            ?? $"Data Source=SyncContextSessions-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");
        _inMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:";
        if (_inMemory && (builder.Cache != SqliteCacheMode.Shared || builder.DataSource is "" or ":memory:"))
        {
            throw new ArgumentException(
                $"The in-memory session database '{builder.ConnectionString}' would be a new, empty database on every connection: name it and share its cache (Data Source=sessions;Mode=Memory;Cache=Shared).",
                nameof(options));
        }

        _connectionString = builder.ToString();
        _connectionSetupSql = $"PRAGMA busy_timeout = {(long)builder.DefaultTimeout * 1000}; PRAGMA synchronous = NORMAL;";
        _clock = value.TimeProvider;
        _deletionIntervalMs = (long)value.ExpiredItemsDeletionInterval.TotalMilliseconds;
    }

    /// <inheritdoc />
    public byte[]? Load(string sessionKey)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = LoadSql;
        command.Parameters.AddWithValue("$key", sessionKey);
        command.Parameters.AddWithValue("$now", NowMs());
        return command.ExecuteScalar() as byte[];
    }

    /// <inheritdoc />
    public void Save(string sessionKey, byte[] data, TimeSpan idleTimeout)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        ArgumentNullException.ThrowIfNull(data);
        var now = NowMs();
        using var connection = Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = SaveSql;
            command.Parameters.AddWithValue("$key", sessionKey);
            command.Parameters.AddWithValue("$data", data);
            command.Parameters.AddWithValue("$expiresAt", ExpiresAt(now, idleTimeout));
            command.ExecuteNonQuery();
        }

        DeleteExpiredIfDue(connection, now);
    }

    /// <inheritdoc />
    public void Refresh(string sessionKey, TimeSpan idleTimeout)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        var now = NowMs();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = RefreshSql;
        command.Parameters.AddWithValue("$key", sessionKey);
        command.Parameters.AddWithValue("$expiresAt", ExpiresAt(now, idleTimeout));
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
    }

    /// <summary>Closes the store's connections; an in-memory database is gone afterwards.</summary>
    public void Dispose()
    {
        lock (_schemaLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
            _keepAlive?.Dispose();
            _keepAlive = null;
        }
    }

    private SqliteConnection Open()
    {
        if (!_schemaCreated)
        {
            CreateSchema();
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            if (!_inMemory)
            {
                // Concurrent saves of a file wait in SQLite's own busy handler (a few milliseconds at a time) rather
                // than in Microsoft.Data.Sqlite's retry loop, which sleeps far longer between tries. In WAL mode,
                // synchronous=NORMAL syncs at checkpoints instead of on every save: the file cannot be corrupted, and
                // a power cut may lose the last few sessions saved, a fair price for one disk sync less per request.
                using var command = connection.CreateCommand();
                command.CommandText = _connectionSetupSql;
                command.ExecuteNonQuery();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Once per store: a failure is thrown to the caller and tried again by the next one.
    private void CreateSchema()
    {
        lock (_schemaLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_schemaCreated)
            {
                return;
            }

            var connection = new SqliteConnection(_connectionString);
            try
            {
                connection.Open();
                using (var command = connection.CreateCommand())
                {
                    // WAL lets readers go on while a session is written; it is a property of the file, kept once set.
                    command.CommandText = _inMemory ? CreateSchemaSql : "PRAGMA journal_mode = WAL;\n" + CreateSchemaSql;
                    command.ExecuteNonQuery();
                }

                if (_inMemory)
                {
                    // A shared in-memory database lives while one connection to it is open: this one, until Dispose.
                    _keepAlive = connection;
                    connection = null;
                }

                _schemaCreated = true;
            }
            finally
            {
                connection?.Dispose();
            }
        }
    }

    private void DeleteExpiredIfDue(SqliteConnection connection, long now)
    {
        var due = Interlocked.Read(ref _nextDeletionAtMs);
        if (now < due || Interlocked.CompareExchange(ref _nextDeletionAtMs, now + _deletionIntervalMs, due) != due)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = DeleteExpiredSql;
        command.Parameters.AddWithValue("$now", now);
        command.ExecuteNonQuery();
    }

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static long ExpiresAt(long now, TimeSpan idleTimeout) => checked(now + (long)idleTimeout.TotalMilliseconds);
}
