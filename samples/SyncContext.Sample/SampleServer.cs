using SyncContext;

namespace SyncContext.Sample;

/// <summary>The app: ordinary minimal-API handlers, sync and async.</summary>
internal static class SampleServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var inline = args.Contains("--inline");
        var builder = WebApplication.CreateBuilder(args.Where(a => a != "--inline").ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (!builder.Configuration.GetSection("urls").Exists())
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        if (!inline)
        {
            builder.Services.AddSyncContext();

            // Sessions in a SQLite file, loaded and saved on the executor (Quart's open_session / save_session).
            builder.Services.AddSqliteSessionStore(options =>
                options.ConnectionString = $"Data Source={Path.Combine(Path.GetTempPath(), "synccontext-sample-sessions.db")}");
        }

        var app = builder.Build();

        if (!inline)
        {
            // app.UseSession() alone is the usual call; scoped to /visits here so that the demo's /fast does exactly
            // the work it did before sessions were added.
            app.UseWhen(context => context.Request.Path.StartsWithSegments("/visits"), branch => branch.UseSession());
        }

        // Async handlers are never touched: they do not block.
        app.MapGet("/fast", () => Task.FromResult("fast"));

        if (inline)
        {
            // What ASP.NET Core does with a blocking handler: it holds a thread-pool thread for 100 ms.
            // The blocking-call analyzer rightly flags it; here it is the point of the baseline.
            app.MapGet("/slow", (HttpContext context) =>
            {
#pragma warning disable SYNCCTX100
                Thread.Sleep(100);
#pragma warning restore SYNCCTX100
                return context.Response.WriteAsync("slow");
            });
        }
        else
        {
            // Plain sync lambdas. The SyncContext generator rewrites these calls at compile time so the
            // bodies run on the executor's own threads, with the request's context.
            app.MapGet("/slow", () =>
            {
                Thread.Sleep(100); // a blocking driver, a legacy library, File.ReadAllText...
                return "slow";
            });

            app.MapGet("/where", (IRequestContext request, IAppContext application) =>
                $"{request.Method} {request.Path} (trace {request.TraceIdentifier}) of {application.ApplicationName} " +
                $"ran on thread '{Thread.CurrentThread.Name}', thread-pool thread: {Thread.CurrentThread.IsThreadPoolThread}");

            // A background task (Quart's add_background_task): it runs on the executor once the response has
            // gone, with a fresh scope, and the host waits for it at shutdown. An after-request hook on this
            // endpoint only (a hook on the app would run for every request, /fast included): it runs on the
            // executor too, before the response starts.
            app.MapPost("/orders/{id:int}", (int id, Order order, IBackgroundWork background) =>
            {
                background.Add(services => services.GetRequiredService<ILogger<Order>>()
                    .LogWarning("Order {Id} confirmed in the background on {Thread}", id, Thread.CurrentThread.Name));
                return new { id, order.Item, order.Quantity, ranOn = Thread.CurrentThread.Name };
            }).AddAfterRequest((HttpResponse response) => response.Headers["X-After-Request-Thread"] = Thread.CurrentThread.Name);

            // A visit counter kept in the session: a plain sync handler, as in Flask or Quart.
            app.MapGet("/visits", (HttpContext context) =>
            {
                var visits = (context.Session.GetInt32("visits") ?? 0) + 1;
                context.Session.SetInt32("visits", visits);
                return $"visit {visits} of this session, counted on thread '{Thread.CurrentThread.Name}'";
            });
        }

        await app.RunAsync();
        return 0;
    }
}

internal sealed record Order(string Item, int Quantity);
