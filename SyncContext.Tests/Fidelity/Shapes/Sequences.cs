using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> Sequences()
    {
        var f = new ShapeFamily("sequences");
        f.Add("array", """MapGet("/", () => P.T(new[] { 1, 2, 3 }))""", Get("/"));
        f.Add("list", """MapGet("/", () => P.T(new List<Todo> { new(1, "a"), new(2, "b") }))""", Get("/"));
        f.Add("empty-array", """MapGet("/", () => P.T(Array.Empty<Todo>()))""", Get("/"));
        f.Add("materialized-enumerable", """MapGet("/", IEnumerable<int> () => P.T(Lazy.Select(4).ToList()))""", Get("/"));
        f.Add("lazy-select", """MapGet("/", () => P.T(Lazy.Select(5)))""", Get("/"), Head("/"));
        f.Add("lazy-select-query", """MapGet("/", (int count) => P.T(Lazy.Select(count)))""", Get("/?count=3"), Get("/?count=0"), Get("/?count=x"));
        f.Add("lazy-yield", """MapGet("/", () => P.T(Lazy.Yield(3)))""", Get("/"));
        f.Add("lazy-large", """MapGet("/", () => P.T(Lazy.Yield(2000)))""", Get("/"));
        f.Add("lazy-empty", """MapGet("/", () => P.T(Lazy.Select(0)))""", Get("/"));
        f.Add("lazy-strings", """MapGet("/", () => P.T(Lazy.Select(3).Select(i => "s" + i)))""", Get("/"));
        f.Add("lazy-objects", """MapGet("/", IEnumerable<object> () => P.T(Lazy.Select(2).Select(i => (object)new Todo(i, "o"))))""", Get("/"));
        f.Add("lazy-throws-at-first-item", """MapGet("/", () => P.T(Lazy.ThrowAfter(0)))""", Get("/"));
        f.Add("lazy-throws-after-items", """MapGet("/", () => P.T(Lazy.ThrowAfter(2)))""", Get("/"));
        f.Add("lazy-in-ok", """MapGet("/", () => P.T(Results.Ok(Lazy.Select(3))))""", Get("/"));
        f.Add("lazy-in-typed-ok", """MapGet("/", () => P.T(TypedResults.Ok(Lazy.Yield(2))))""", Get("/"));
        f.Add("lazy-in-json", """MapGet("/", () => P.T(Results.Json(Lazy.Select(2), statusCode: 201)))""", Get("/"));
        f.Add("lazy-in-union", """MapGet("/{id}", Results<Ok<IEnumerable<int>>, NotFound> (int id) => P.T<Results<Ok<IEnumerable<int>>, NotFound>>(id > 0 ? TypedResults.Ok(Lazy.Select(id)) : TypedResults.NotFound()))""", Get("/2"), Get("/0"));
        f.Add("queryable", """MapGet("/", () => P.T(Lazy.Select(3).AsQueryable().Where(i => i > 0)))""", Get("/"));
        f.Add("async-enumerable", """MapGet("/", () => P.T(Lazy.Stream(4)))""", Get("/"), Head("/"));
        f.Add("async-enumerable-empty", """MapGet("/", () => P.T(Lazy.Stream(0)))""", Get("/"));
        f.Add("async-enumerable-large", """MapGet("/", () => P.T(Lazy.Stream(3000)))""", Get("/"));
        f.Add("async-enumerable-throws", """MapGet("/", () => P.T(Lazy.StreamThrowAfter(2)))""", Get("/"));
        f.Add("async-enumerable-throws-at-once", """MapGet("/", () => P.T(Lazy.StreamThrowAfter(0)))""", Get("/"));
        f.Add("async-enumerable-in-ok", """MapGet("/", () => P.T(Results.Ok(Lazy.Stream(2))))""", Get("/"));
        return f.Shapes;
    }

    private static IReadOnlyList<Shape> Errors()
    {
        var f = new ShapeFamily("errors");
        f.Add("throws", """MapGet("/", () => P.Throw<string>("handler failed"))""", Get("/"), Head("/"));
        f.Add("throws-in-void", """MapGet("/", (int n) => { P.Here(); if (n > 0) { throw new ArgumentOutOfRangeException(nameof(n)); } })""", Get("/?n=1"), Get("/?n=0"), Get("/?n=x"));
        f.Add("throws-after-status", """MapGet("/", (HttpContext context) => { context.Response.StatusCode = 202; context.Response.Headers["X-Set"] = "1"; return P.Throw<string>("after status"); })""", Get("/"));
        f.Add("throws-after-write", """MapGet("/", (HttpContext context) => { context.Response.WriteAsync("partial").GetAwaiter().GetResult(); return P.Throw<string>("after write"); })""", Get("/"));
        f.Add("throws-bad-request", """MapGet("/", () => { P.Here(); throw new BadHttpRequestException("custom", 409); })""", Get("/"));
        f.Add("throws-canceled", """MapGet("/", () => { P.Here(); throw new OperationCanceledException(); })""", Get("/"));
        f.Add("throws-not-implemented", """MapGet("/", () => { P.Here(); throw new NotImplementedException(); })""", Get("/"));
        f.Add("throws-multiline-message", """MapGet("/", () => P.Throw<int>("line one\nline two"))""", Get("/"));
        f.Add("throws-inner", """MapGet("/", () => { P.Here(); throw new InvalidOperationException("outer", new FormatException("inner")); })""", Get("/"));
        f.Add("throws-aggregate", """MapGet("/", () => { P.Here(); throw new AggregateException(new InvalidOperationException("a"), new ArgumentException("b")); })""", Get("/"));
        f.Add("throws-from-result", """MapGet("/", IResult () => P.Throw<IResult>("result failed"))""", Get("/"));
        f.Add("throws-after-body-bind", """MapPost("/", (Todo todo) => P.Throw<Todo>("after binding " + todo.Id))""", Post("/", TodoJson), Post("/", "{"));
        f.Add("throws-from-method-group", """MapGet("/", Handlers.StaticResult).AddEndpointFilter((context, next) => context.GetArgument<int?>(0) == 13 ? throw new InvalidOperationException("unlucky") : next(context))""", Get("/?id=13"), Get("/?id=1"));
        return f.Shapes;
    }

    private static IReadOnlyList<Shape> AsyncControls()
    {
        var f = new ShapeFamily("async");
        f.Async("task-string", """MapGet("/", async () => { await Task.Yield(); return P.T("async"); })""", Get("/"));
        f.Async("task-iresult", """MapGet("/", async Task<IResult> (int id) => { await Task.Yield(); return P.T(Results.Ok(id)); })""", Get("/?id=1"), Get("/?id=x"));
        f.Async("valuetask", """MapGet("/", ValueTask<Todo> () => P.T(ValueTask.FromResult(new Todo(1, "vt"))))""", Get("/"));
        f.Async("task-throws", """MapGet("/", async Task<string> () => { await Task.Yield(); return P.Throw<string>("async failed"); })""", Get("/"));
        f.Async("task-body", """MapPost("/", async (Todo todo) => { await Task.Yield(); return P.T(todo); })""", Post("/", TodoJson), Post("/", null));
        return f.Shapes;
    }

    private static IReadOnlyList<Shape> SynchronousIo()
    {
        const string Why = "synchronous body I/O: allowed inside offloaded calls on purpose (issue 7, item 7)";
        var f = new ShapeFamily("sync-io");
        f.Allowed("read-to-end", Why, """MapPost("/", (HttpRequest request) => { P.Here(); return new StreamReader(request.Body).ReadToEnd(); })""", Raw("POST", "/", "text/plain", "fidelity body"));
        f.Allowed("stream-read", Why, """MapPost("/", (Stream body) => { P.Here(); var buffer = new byte[64]; var n = body.Read(buffer, 0, buffer.Length); return Encoding.UTF8.GetString(buffer, 0, n); })""", Raw("POST", "/", "text/plain", "fidelity stream"));
        f.Allowed("write", Why, """MapGet("/", (HttpResponse response) => { P.Here(); response.Body.Write("fidelity write"u8); })""", Get("/"));
        return f.Shapes;
    }
}
