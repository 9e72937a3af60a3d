using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    /// <summary>
    /// Under <c>/rx</c>, where <c>UseExceptionHandler("/error")</c> and <c>UseStatusCodePagesWithReExecute("/status/{0}")</c>
    /// apply; both targets are sync handlers, so the re-executed request is offloaded too.
    /// </summary>
    private static IReadOnlyList<Shape> ReExecution()
    {
        var f = new ShapeFamily("rx");
        f.Add("string", """MapGet("/", () => P.T("fine"))""", Get("/"), Get("/no/such/route"), Bare("POST", "/"));
        f.Add("throws", """MapGet("/", () => P.Throw<string>("handler failed"))""", Get("/"), Head("/"));
        f.Add("throws-void", """MapPost("/", () => { P.Here(); throw new InvalidOperationException("void failed"); })""", Bare("POST", "/"));
        f.Add("throws-bad-request", """MapGet("/", () => { P.Here(); throw new BadHttpRequestException("custom", 409); })""", Get("/"));
        f.Add("throws-after-status", """MapGet("/", (HttpContext context) => { context.Response.StatusCode = 404; return P.Throw<string>("after status"); })""", Get("/"));
        f.Add("not-found", """MapGet("/", () => P.T(Results.NotFound()))""", Get("/"));
        f.Add("not-found-with-body", """MapGet("/", () => P.T(Results.NotFound("body kept")))""", Get("/"));
        f.Add("status", """MapGet("/{code}", (int code) => P.T(Results.StatusCode(code)))""", Get("/418"), Get("/503"), Get("/302"), Get("/x"));
        f.Add("bad-request-empty", """MapGet("/", () => P.T(Results.BadRequest()))""", Get("/"));
        f.Add("unauthorized", """MapGet("/", () => P.T(Results.Unauthorized()))""", Get("/"));
        f.Add("problem", """MapGet("/", () => P.T(Results.Problem("has a body", statusCode: 422)))""", Get("/"));
        f.Add("typed-not-found", """MapGet("/", () => P.T(TypedResults.NotFound()))""", Get("/"));
        f.Add("union", """MapGet("/{id}", Results<Ok<Todo>, NotFound> (int id) => P.T<Results<Ok<Todo>, NotFound>>(id == 1 ? TypedResults.Ok(new Todo(1, "one")) : TypedResults.NotFound()))""", Get("/1"), Get("/2"));
        f.Add("void-status", """MapGet("/", (HttpContext context) => { P.Here(); context.Response.StatusCode = 404; })""", Get("/"));
        f.Add("void-500", """MapGet("/", (HttpResponse response) => { P.Here(); response.StatusCode = 500; })""", Get("/"));
        f.Add("route-int", """MapGet("/{id}", (int id) => P.T(id))""", Get("/1"), Get("/abc"));
        f.Add("query-required", """MapGet("/", (int n) => P.T(n))""", Get("/?n=1"), Get("/"), Get("/?n=x"));
        f.Add("nullable-string-echo", """MapGet("/", (string? q) => P.T(q))""", Get("/?q=x"), Get("/"));
        f.Add("iresult-null", """MapGet("/", IResult? (int? id) => P.T(id is null ? null : Results.Ok(id)))""", Get("/?id=1"), Get("/"));
        f.Add("body", """MapPost("/", (Todo todo) => P.T(todo))""", Post("/", TodoJson), Post("/", null), Post("/", "{"), Raw("POST", "/", "text/plain", "x"));
        f.Add("struct-body", """MapPost("/", (PointStruct point) => P.T(point.X))""", Post("/", """{"x":1,"y":2}"""), Post("/", null));
        f.Add("bindasync-struct", """MapGet("/", (TokenStruct token) => P.T(token.Value))""", Get("/", "X-Token: t"), Get("/"));
        f.Add("form", """MapPost("/", ([FromForm] int age) => P.T(age))""", Form("/", "age=1"), Form("/", ""), Post("/", "{}"));
        f.Add("file", """MapPost("/", (IFormFile file) => P.T(file.Length))""", Multipart("/", File("file", "a.txt", "abc")), Multipart("/", Field("x", "1")));
        f.Add("service-missing", """MapGet("/", ([FromServices] IUnregistered missing, int n) => P.T(n))""", Get("/?n=1"), Get("/"));
        f.Add("lazy-throws-at-first-item", """MapGet("/", () => P.T(Lazy.ThrowAfter(0)))""", Get("/"));
        f.Add("lazy-throws-after-items", """MapGet("/", () => P.T(Lazy.ThrowAfter(2)))""", Get("/"));
        f.Add("lazy", """MapGet("/", () => P.T(Lazy.Select(2)))""", Get("/"));
        f.Add("method-not-allowed", """MapDelete("/", () => P.T(Results.NoContent()))""", Delete("/"), Get("/"), Bare("PUT", "/"));
        f.Add("redirect", """MapGet("/", () => P.T(Results.Redirect("/rx/string")))""", Get("/"));
        return f.Shapes;
    }
}
