using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SyncContext.Sessions.Sqlite;

namespace SyncContext.Tests.Sessions;

public class SqliteSessionStoreTests
{
    private static readonly TimeSpan s_idle = TimeSpan.FromMinutes(20);

    [Fact]
    public void A_file_database_gets_its_table_on_first_use_and_is_put_in_wal_mode()
    {
        using var folder = new TempFolder();
        using (var store = Store($"Data Source={folder.Database}"))
        {
            File.Exists(folder.Database).ShouldBeFalse();
            store.Load("key").ShouldBeNull();
        }

        Scalar(folder.Database, "PRAGMA journal_mode").ShouldBe("wal");
        Scalar(folder.Database, $"SELECT COUNT(*) FROM {SqliteSessionStore.TableName}").ShouldBe(0L);
    }

    [Fact]
    public void Saved_data_is_loaded_until_it_expires_and_a_refresh_slides_the_expiry()
    {
        var clock = new ManualClock();
        using var store = Store(null, clock);
        store.Save("key", [1, 2, 3], s_idle);

        clock.Advance(TimeSpan.FromMinutes(15));
        store.Load("key").ShouldBe([1, 2, 3]);
        store.Refresh("key", s_idle);
        clock.Advance(TimeSpan.FromMinutes(15));
        store.Load("key").ShouldBe([1, 2, 3]);

        clock.Advance(TimeSpan.FromMinutes(5));
        store.Load("key").ShouldBeNull();
        store.Refresh("key", s_idle);
        store.Load("key").ShouldBeNull();
    }

    [Fact]
    public void Expired_sessions_are_deleted_by_the_first_save_after_the_deletion_interval()
    {
        using var folder = new TempFolder();
        var clock = new ManualClock();
        using var store = Store($"Data Source={folder.Database}", clock, deletionInterval: TimeSpan.FromHours(1));
        store.Save("old", [1], s_idle);
        clock.Advance(TimeSpan.FromMinutes(50));

        // "old" expired at 20 minutes; it is not loaded any more, but no deletion is due until 60.
        store.Save("new", [2], s_idle);
        store.Load("old").ShouldBeNull();
        Scalar(folder.Database, $"SELECT COUNT(*) FROM {SqliteSessionStore.TableName}").ShouldBe(2L);

        clock.Advance(TimeSpan.FromMinutes(11));
        store.Save("newer", [3], s_idle);
        Scalar(folder.Database, $"SELECT group_concat(Key) FROM {SqliteSessionStore.TableName}").ShouldBe("new,newer");
    }

    [Fact]
    public void Each_default_store_has_an_in_memory_database_of_its_own_that_lives_until_it_is_disposed()
    {
        using var first = Store(null);
        using var second = Store(null);

        first.Save("key", [1], s_idle);

        first.Load("key").ShouldBe([1]);
        second.Load("key").ShouldBeNull();
    }

    [Fact]
    public void A_named_shared_in_memory_database_survives_between_calls_until_the_store_is_disposed()
    {
        var connectionString = $"Data Source=sessions-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        var store = Store(connectionString);
        store.Save("key", [1], s_idle);
        store.Load("key").ShouldBe([1]);
        using (var other = Store(connectionString))
        {
            other.Load("key").ShouldBe([1]);
        }

        store.Dispose();

        using var after = Store(connectionString);
        after.Load("key").ShouldBeNull();
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=sessions;Mode=Memory")]
    public void An_in_memory_database_that_each_connection_would_see_empty_is_refused(string connectionString)
        => Should.Throw<ArgumentException>(() => Store(connectionString)).Message.ShouldStartWith("The in-memory session database");

    private static SqliteSessionStore Store(string? connectionString, TimeProvider? clock = null, TimeSpan? deletionInterval = null)
        => new(Options.Create(new SqliteSessionStoreOptions
        {
            ConnectionString = connectionString,
            TimeProvider = clock ?? TimeProvider.System,
            ExpiredItemsDeletionInterval = deletionInterval ?? TimeSpan.FromMinutes(30),
        }));

    private static object? Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private sealed class TempFolder : IDisposable
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), "synccontext-sqlite-" + Guid.NewGuid().ToString("N"));

        public TempFolder() => Directory.CreateDirectory(_path);

        public string Database => Path.Combine(_path, "sessions.db");

        public void Dispose()
        {
            try
            {
                Directory.Delete(_path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
