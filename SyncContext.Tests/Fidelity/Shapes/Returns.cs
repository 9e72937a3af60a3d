using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> Returns()
    {
        var f = new ShapeFamily("returns");
        f.Add("void", """MapGet("/", () => P.Here())""", Get("/"), Head("/"));
        f.Add("void-block", """MapGet("/", () => { P.Here(); return; })""", Get("/"));
        f.Add("string", """MapGet("/", () => P.T("plain text"))""", Get("/"), Head("/"));
        f.Add("string-empty", """MapGet("/", () => P.T(string.Empty))""", Get("/"));
        f.Add("string-unicode", """MapGet("/", () => P.T("h\u00e9llo \u2603"))""", Get("/"));
        f.Add("string-null", """MapGet("/", () => P.T<string?>(null))""", Get("/"));
        f.Add("nullable-string-param-echo", """MapGet("/", (string? q) => P.T(q))""", Get("/?q=x"), Get("/"));
        f.Add("int", """MapGet("/", () => P.T(42))""", Get("/"));
        f.Add("nullable-int-null", """MapGet("/", () => P.T<int?>(null))""", Get("/"));
        f.Add("nullable-int-value", """MapGet("/", () => P.T<int?>(5))""", Get("/"));
        f.Add("bool", """MapGet("/", () => P.T(true))""", Get("/"));
        f.Add("double", """MapGet("/", () => P.T(0.1 + 0.2))""", Get("/"));
        f.Add("decimal", """MapGet("/", () => P.T(1.10m))""", Get("/"));
        f.Add("char", """MapGet("/", () => P.T('c'))""", Get("/"));
        f.Add("guid", """MapGet("/", () => P.T(Guid.Empty))""", Get("/"));
        f.Add("datetime", """MapGet("/", () => P.T(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc)))""", Get("/"));
        f.Add("enum", """MapGet("/", () => P.T(Color.Blue))""", Get("/"));
        f.Add("record", """MapGet("/", () => P.T(new Todo(7, "typed")))""", Get("/"), Head("/"));
        f.Add("class", """MapGet("/", () => P.T(new TodoClass { Id = 1, Title = null }))""", Get("/"));
        f.Add("struct", """MapGet("/", () => P.T(new PointStruct(1, 2)))""", Get("/"));
        f.Add("nullable-struct-null", """MapGet("/", () => P.T<PointStruct?>(null))""", Get("/"));
        f.Add("record-null", """MapGet("/", () => P.T<Todo?>(null))""", Get("/"));
        f.Add("record-null-on-query", """MapGet("/", (int? id) => P.T(id is null ? null : new Todo(id.Value, "found")))""", Get("/?id=1"), Get("/"));
        f.Add("object-polymorphic", """MapGet("/", () => P.T<object>(new Todo(1, "as object")))""", Get("/"));
        f.Add("object-string", """MapGet("/", () => P.T<object>("string as object"))""", Get("/"));
        f.Add("object-null", """MapGet("/", () => P.T<object?>(null))""", Get("/"));
        f.Add("anonymous", """MapGet("/", () => P.T(new { Name = "anon", Values = new[] { 1, 2 } }))""", Get("/"));
        f.Add("tuple", """MapGet("/", () => P.T((1, "two")))""", Get("/"));
        f.Add("dictionary", """MapGet("/", () => P.T(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }))""", Get("/"));
        f.Add("byte-array", """MapGet("/", () => P.T(new byte[] { 1, 2, 255 }))""", Get("/"));
        f.Add("jsonelement", """MapGet("/", () => P.T(JsonDocument.Parse("[1,{\"a\":null}]").RootElement))""", Get("/"));
        f.Add("jsonnode", """MapGet("/", () => P.T(JsonNode.Parse("{\"x\":1}")))""", Get("/"));
        f.Add("nested", """MapGet("/", () => P.T(new Nested(new Todo(1, "in"), [1, 2], null)))""", Get("/"));
        f.Add("large-string", """MapGet("/", () => P.T(new string('x', 100_000)))""", Get("/"));
        f.Add("large-object", """MapGet("/", () => P.T(Enumerable.Range(0, 3000).Select(i => new Todo(i, "large")).ToArray()))""", Get("/"));
        f.Add("httpcontext-and-string", """MapGet("/", (HttpContext context) => { context.Response.Headers.ETag = "\"v1\""; return P.T("tagged"); })""", Get("/"));
        return f.Shapes;
    }

    private static IReadOnlyList<Shape> ResultShapes()
    {
        var f = new ShapeFamily("results");
        f.Add("ok", """MapGet("/", () => P.T(Results.Ok()))""", Get("/"));
        f.Add("ok-value", """MapGet("/", () => P.T(Results.Ok(new Todo(2, "ok"))))""", Get("/"), Head("/"));
        f.Add("ok-null", """MapGet("/", () => P.T(Results.Ok<Todo?>(null)))""", Get("/"));
        f.Add("text", """MapGet("/", () => P.T(Results.Text("text", "text/plain")))""", Get("/"));
        f.Add("text-encoding", """MapGet("/", () => P.T(Results.Text("caf\u00e9", "text/plain", Encoding.Latin1)))""", Get("/"));
        f.Add("content", """MapGet("/", () => P.T(Results.Content("<b>x</b>", "text/html")))""", Get("/"));
        f.Add("json", """MapGet("/", () => P.T(Results.Json(new Todo(3, "json"), statusCode: 207)))""", Get("/"));
        f.Add("json-options", """MapGet("/", () => P.T(Results.Json(new Todo(3, "json"), new JsonSerializerOptions { WriteIndented = true })))""", Get("/"));
        f.Add("bytes", """MapGet("/", () => P.T(Results.Bytes(new byte[] { 0, 1, 2 }, "application/octet-stream")))""", Get("/"));
        f.Add("bytes-range", """MapGet("/", () => P.T(Results.Bytes(Encoding.UTF8.GetBytes("0123456789"), "text/plain", enableRangeProcessing: true)))""", Get("/"), Get("/", "Range: bytes=2-4"), Get("/", "Range: bytes=20-30"));
        f.Add("stream-memory", """MapGet("/", () => P.T(Results.Stream(new MemoryStream(Encoding.UTF8.GetBytes("streamed")), "text/plain")))""", Get("/"));
        f.Add("file-bytes", """MapGet("/", () => P.T(Results.File(Encoding.UTF8.GetBytes("file"), "text/plain", "f.txt")))""", Get("/"));
        f.Add("status", """MapGet("/{code}", (int code) => P.T(Results.StatusCode(code)))""", Get("/204"), Get("/404"), Get("/500"), Get("/299"));
        f.Add("no-content", """MapGet("/", () => P.T(Results.NoContent()))""", Get("/"));
        f.Add("not-found", """MapGet("/", () => P.T(Results.NotFound()))""", Get("/"));
        f.Add("not-found-value", """MapGet("/", () => P.T(Results.NotFound("missing")))""", Get("/"));
        f.Add("bad-request", """MapGet("/", () => P.T(Results.BadRequest(new { error = "bad" })))""", Get("/"));
        f.Add("conflict", """MapGet("/", () => P.T(Results.Conflict()))""", Get("/"));
        f.Add("unprocessable", """MapGet("/", () => P.T(Results.UnprocessableEntity("no")))""", Get("/"));
        f.Add("unauthorized", """MapGet("/", () => P.T(Results.Unauthorized()))""", Get("/"));
        f.Add("created", """MapPost("/", (Todo todo) => P.T(Results.Created($"/todos/{todo.Id}", todo)))""", Post("/", TodoJson), Post("/", null));
        f.Add("accepted", """MapPost("/", () => P.T(Results.Accepted("/queue/1")))""", Bare("POST", "/"));
        f.Add("redirect", """MapGet("/", () => P.T(Results.Redirect("/elsewhere")))""", Get("/"));
        f.Add("redirect-permanent", """MapGet("/", () => P.T(Results.Redirect("/elsewhere", permanent: true, preserveMethod: true)))""", Get("/"));
        f.Add("local-redirect", """MapGet("/", (string to) => P.T(Results.LocalRedirect(to)))""", Get("/?to=%2Flocal"), Get("/?to=http%3A%2F%2Fevil.invalid"));
        f.Add("problem", """MapGet("/", () => P.T(Results.Problem("it went wrong", statusCode: 409)))""", Get("/"));
        f.Add("problem-extensions", """MapGet("/", () => P.T(Results.Problem(title: "t", extensions: new Dictionary<string, object?> { ["k"] = 1 })))""", Get("/"));
        f.Add("validation-problem", """MapGet("/", () => P.T(Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["required"] })))""", Get("/"));
        f.Add("empty", """MapGet("/", () => P.T(Results.Empty))""", Get("/"));
        f.Add("iresult-null", """MapGet("/", IResult? () => P.T<IResult?>(null))""", Get("/"));
        f.Add("iresult-null-on-query", """MapGet("/", IResult? (int? id) => P.T(id is null ? null : Results.Ok(id)))""", Get("/?id=1"), Get("/"));
        f.Add("typed-ok", """MapGet("/", () => P.T(TypedResults.Ok(new Todo(4, "typed"))))""", Get("/"));
        f.Add("typed-not-found", """MapGet("/", () => P.T(TypedResults.NotFound()))""", Get("/"));
        f.Add("typed-created", """MapGet("/", () => P.T(TypedResults.Created("/x", new Todo(5, "made"))))""", Get("/"));
        f.Add("typed-problem", """MapGet("/", () => P.T(TypedResults.Problem("typed problem", statusCode: 422)))""", Get("/"));
        f.Add("typed-text", """MapGet("/", () => P.T(TypedResults.Text("typed text")))""", Get("/"));
        f.Add("union-ok-notfound", """MapGet("/{id}", Results<Ok<Todo>, NotFound> (int id) => P.T<Results<Ok<Todo>, NotFound>>(id == 1 ? TypedResults.Ok(new Todo(1, "one")) : TypedResults.NotFound()))""", Get("/1"), Get("/2"), Get("/x"));
        f.Add("union-three", """MapGet("/{id}", Results<Ok<Todo>, BadRequest<string>, NotFound> (int id) => P.T<Results<Ok<Todo>, BadRequest<string>, NotFound>>(id switch { 1 => TypedResults.Ok(new Todo(1, "one")), < 0 => TypedResults.BadRequest("negative"), _ => TypedResults.NotFound() }))""", Get("/1"), Get("/-1"), Get("/9"));
        f.Add("union-created-validation", """MapPost("/", Results<Created<Todo>, ValidationProblem> (Todo todo) => P.T<Results<Created<Todo>, ValidationProblem>>(todo.Title.Length > 0 ? TypedResults.Created("/t", todo) : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["title"] = ["empty"] })))""", Post("/", TodoJson), Post("/", """{"id":1,"title":""}"""), Post("/", null));
        f.Add("union-nocontent-problem", """MapDelete("/{id}", Results<NoContent, ProblemHttpResult> (int id) => P.T<Results<NoContent, ProblemHttpResult>>(id > 0 ? TypedResults.NoContent() : TypedResults.Problem("bad id")))""", Delete("/1"), Delete("/0"), Delete("/x"));
        f.Add("typed-ok-null-value", """MapGet("/", Ok<Todo?> () => P.T(TypedResults.Ok<Todo?>(null)))""", Get("/"));
        f.Add("result-then-header", """MapGet("/", (HttpContext context) => { context.Response.Headers["X-Before"] = "1"; return P.T(Results.Ok("with header")); })""", Get("/"));
        return f.Shapes;
    }
}
