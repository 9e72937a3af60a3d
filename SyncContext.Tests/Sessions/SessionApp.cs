using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncContext.Sessions.Sqlite;
using SyncContext.Tests.Context;

namespace SyncContext.Tests.Sessions;

/// <summary>
/// A real Kestrel app on 127.0.0.1 whose sessions live in a SQLite file of a fresh temp folder, behind an
/// <see cref="ObservedSessionStore"/>. Each <see cref="NewClient"/> is a browser with its own cookie jar.
/// </summary>
internal sealed class SessionApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly List<HttpClient> _clients = [];
    private readonly Uri _address;

    private SessionApp(WebApplication app, string folder, Uri address, ManualClock clock, CapturingLoggerProvider logs)
    {
        _app = app;
        _folder = folder;
        _address = address;
        Clock = clock;
        Logs = logs;
    }

    /// <summary>The store's clock.</summary>
    public ManualClock Clock { get; }

    /// <summary>Warnings and errors the app logged.</summary>
    public CapturingLoggerProvider Logs { get; }

    public string DatabasePath => Path.Combine(_folder, "sessions.db");

    public ObservedSessionStore Store => (ObservedSessionStore)_app.Services.GetRequiredService<ISyncSessionStore>();

    public static async Task<SessionApp> StartAsync(TimeSpan? idleTimeout = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "synccontext-sessions-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var clock = new ManualClock();
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSqliteSessionStore(o =>
        {
            o.ConnectionString = $"Data Source={Path.Combine(folder, "sessions.db")}";
            o.TimeProvider = clock;
        });
        builder.Services.AddSession(o => o.IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(20));
        builder.Services.Replace(ServiceDescriptor.Singleton<ISyncSessionStore>(static sp => new ObservedSessionStore(
            new SqliteSessionStore(sp.GetRequiredService<IOptions<SqliteSessionStoreOptions>>()),
            sp.GetRequiredService<IHttpContextAccessor>())));

        var app = builder.Build();
        app.UseSession();
        MapEndpoints(app);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return new SessionApp(app, folder, address, clock, logs);
    }

    /// <summary>A client with its own cookie jar: one browser, one session.</summary>
    public HttpClient NewClient()
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new System.Net.CookieContainer(), UseCookies = true })
        {
            BaseAddress = _address,
            Timeout = TestHosts.HangGuard,
        };
        _clients.Add(client);
        return client;
    }

    /// <summary>The rows of the sessions table, read from the file by a connection of the test's own.</summary>
    public long CountRows()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {SqliteSessionStore.TableName}";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static void MapEndpoints(WebApplication app)
    {
        // Async, the way ASP.NET Core recommends: LoadAsync first.
        app.MapGet("/count", static async (HttpContext context) =>
        {
            await context.Session.LoadAsync(context.RequestAborted);
            return Increment(context.Session);
        });

        // Async without LoadAsync: the first read loads the session synchronously.
        app.MapGet("/count-lazy", (Delegate)(static (HttpContext context) => Task.FromResult(Increment(context.Session))));

        // A sync handler, offloaded: it reads the session on its executor thread.
        app.MapGet("/count-sync", static (HttpContext context) => Increment(context.Session)).OffloadSync();

        // Reads without writing: the commit only refreshes the session's expiry.
        app.MapGet("/peek", static async (HttpContext context) =>
        {
            await context.Session.LoadAsync(context.RequestAborted);
            return context.Session.GetInt32("n")?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        });

        app.MapGet("/plain", static () => Task.FromResult("plain"));
    }

    private static string Increment(ISession session)
    {
        var n = (session.GetInt32("n") ?? 0) + 1;
        session.SetInt32("n", n);
        return session.IsAvailable ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unavailable";
    }
}
