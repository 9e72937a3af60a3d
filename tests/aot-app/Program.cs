using System.Text.Json.Serialization;
using SyncContext;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));
builder.Services.AddSyncContext();

var app = builder.Build();

// A sync error handler, intercepted and bound at compile time; it runs on the executor.
app.UseExceptionHandler((InvalidOperationException exception, HttpContext http) =>
{
    Ran.On(http);
    return Results.Json(new Failure(exception.Message), AppJsonContext.Default.Failure, statusCode: 409);
});

// Sync hooks and a status-code handler, bound at compile time by the generator (no reflection); they run on the executor.
app.UseBeforeRequest((HttpRequest request, HttpResponse response) =>
{
    response.Headers["X-Before-Thread"] = Thread.CurrentThread.Name ?? "unnamed";
    return request.Path == "/denied" ? Results.Text("denied by a before-request hook", statusCode: 403) : null;
});
app.UseAfterRequest((HttpResponse response) => { response.Headers["X-After-Thread"] = Thread.CurrentThread.Name ?? "unnamed"; });
app.UseStatusCodeHandler(404, (int statusCode, HttpRequest request, HttpContext http) =>
{
    Ran.On(http);
    return $"{statusCode}: no page at {request.Path}";
});

// Plain sync handlers: no OffloadSync(), offloaded all the same.
app.MapGet("/text", (HttpContext http) => Ran.On(http, "plain text"));
app.MapGet("/todos/{id}", (int id, HttpContext http) => Ran.On(http, new Todo(id, $"todo {id}", id % 2 == 0)));
app.MapGet("/sum", (int a, int b, HttpContext http) => Ran.On(http, a + b));
app.MapGet("/result/{id}", (int id, HttpContext http) => Ran.On(http, id > 0 ? Results.Ok(new Todo(id, "ok", true)) : Results.NotFound()));
app.MapPost("/todos", (Todo todo, HttpContext http) => Ran.On(http, todo with { Done = true }));
app.MapGet("/void", (HttpContext http) => { Ran.On(http); http.Response.StatusCode = 204; });
app.MapGet("/fail", (HttpContext http) => { Ran.On(http); throw new InvalidOperationException("boom"); });

// A group, and OffloadSync() by hand on an endpoint and on a group: the same result.
var todos = app.MapGroup("/group");
todos.MapGet("/{id}", (int id, HttpContext http) => Ran.On(http, new Todo(id, "in a group", false)));
app.MapGet("/explicit", (HttpContext http) => Ran.On(http, "explicit")).OffloadSync();
var offloaded = app.MapGroup("/offloaded").OffloadSync();
offloaded.MapGet("/{id}", (long id, HttpContext http) => Ran.On(http, id * 2));

// Async code stays where it is; IRunSync moves a sync call to the executor.
app.MapGet("/async", async (HttpContext http) => { await Task.Yield(); return Ran.On(http, "async"); });
app.MapGet("/runsync", async (IRunSync runSync) => await runSync.RunAsync(() => Thread.CurrentThread.Name ?? "unnamed"));

app.Run();

/// <summary>Records the thread a handler ran on in an X-Thread header, which run.sh checks.</summary>
internal static class Ran
{
    public static void On(HttpContext http) => http.Response.Headers["X-Thread"] = Thread.CurrentThread.Name ?? "unnamed";

    public static T On<T>(HttpContext http, T value)
    {
        On(http);
        return value;
    }
}

internal sealed record Todo(int Id, string Title, bool Done);

internal sealed record Failure(string Message);

[JsonSerializable(typeof(Todo))]
[JsonSerializable(typeof(Failure))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
