using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> Methods()
    {
        var f = new ShapeFamily("methods");
        f.Add("get-head", """MapGet("/", () => P.T("get body"))""", Get("/"), Head("/"), Bare("POST", "/"), Options("/"));
        f.Add("post", """MapPost("/", () => P.T("posted"))""", Bare("POST", "/"), Get("/"));
        f.Add("put", """MapPut("/{id}", (int id) => P.T(id))""", Bare("PUT", "/1"), Bare("PUT", "/x"), Get("/1"));
        f.Add("delete", """MapDelete("/{id}", (int id) => P.T(Results.NoContent()))""", Delete("/1"), Delete("/x"), Bare("PUT", "/1"));
        f.Add("patch", """MapPatch("/{id}", (int id) => P.T(id))""", Bare("PATCH", "/1"), Bare("PATCH", "/x"));
        f.Add("map-methods", """MapMethods("/", ["GET", "PURGE"], () => P.T("methods"))""", Get("/"), Bare("PURGE", "/"), Delete("/"), Head("/"));
        f.Add("map-any", """Map("/", (HttpRequest request) => P.T(request.Method))""", Get("/"), Bare("POST", "/"), Bare("TRACE", "/"), Head("/"));
        f.Add("fallback", """MapFallback((HttpRequest request) => P.T("fallback " + request.Path))""", Get("/anything/here"), Bare("POST", "/x"), Get("/file.txt"));
        f.Add("fallback-pattern", """MapFallback("/{*rest}", (string rest) => P.T("rest " + rest))""", Get("/a/b"), Get("/x.css"));
        f.Add("static-method", """MapGet("/{id}", Handlers.Static)""", Get("/1"), Get("/x"));
        f.Add("static-result", """MapGet("/", Handlers.StaticResult)""", Get("/?id=1"), Get("/"), Get("/?id=x"));
        f.Add("static-void", """MapGet("/", Handlers.StaticVoid)""", Get("/"));
        f.Add("instance-method", """MapGet("/", new Handlers().Instance)""", Get("/?name=i"), Get("/"));
        f.Add("typed-delegate", """MapGet("/{id}", (Func<int, string>)(id => P.T("cast " + id)))""", Get("/3"), Get("/x"));
        f.Add("attributed-lambda", """MapGet("/", [Produces("text/plain")] ([FromQuery(Name = "v")] int value) => P.T(value))""", Get("/?v=1"), Get("/?v=x"));
        f.Add("with-filter", """MapGet("/", (int n) => P.T(n)).AddEndpointFilter((context, next) => next(context))""", Get("/?n=1"), Get("/"), Get("/?n=x"));
        f.Add("with-async-filter", """MapGet("/", (int n) => P.T(n)).AddEndpointFilter(async (context, next) => { await Task.Yield(); return await next(context); })""", Get("/?n=2"), Get("/"));
        f.Add("filter-short-circuit", """MapGet("/", (int n) => P.T(n)).AddEndpointFilter((context, next) => context.GetArgument<int>(0) < 0 ? ValueTask.FromResult<object?>(Results.BadRequest("negative")) : next(context))""", Get("/?n=1"), Get("/?n=-1"));
        f.Add("filter-changes-result", """MapGet("/", () => P.T("inner")).AddEndpointFilter(async (context, next) => "filtered " + await next(context))""", Get("/"));
        f.Add("group-filter-changes-string", """AddEndpointFilter(async (context, next) => "group " + await next(context)).MapGet("/", () => P.T("inner"))""", Get("/"), Head("/"));
        f.Add("group-filter-reads-content-type", """AddEndpointFilter(async (context, next) => await next(context) + " " + (context.HttpContext.Response.ContentType ?? "none")).MapGet("/", (HttpContext context) => { Thread.Sleep(20); return P.T(context.Response.ContentType ?? "none yet"); })""", Get("/"));
        return f.Shapes;
    }
}
