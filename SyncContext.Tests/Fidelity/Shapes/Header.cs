using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> Header()
    {
        var f = new ShapeFamily("header");
        f.Add("string", """MapGet("/", ([FromHeader(Name = "X-Name")] string name) => P.T("hi " + name))""", Get("/", "X-Name: Ada"), Get("/"));
        f.Add("nullable-string", """MapGet("/", ([FromHeader(Name = "X-Name")] string? name) => P.T(name))""", Get("/", "X-Name: Ada"), Get("/"));
        f.Add("default-string", """MapGet("/", ([FromHeader(Name = "X-Name")] string name = "anon") => P.T(name))""", Get("/", "X-Name: Bo"), Get("/"));
        f.Add("int", """MapGet("/", ([FromHeader(Name = "X-Count")] int count) => P.T(count))""", Get("/", "X-Count: 3"), Get("/"), Get("/", "X-Count: many"));
        f.Add("nullable-int", """MapGet("/", ([FromHeader(Name = "X-Count")] int? count) => P.T(count))""", Get("/", "X-Count: 3"), Get("/"), Get("/", "X-Count: x"));
        f.Add("by-parameter-name", """MapGet("/", ([FromHeader] string accept) => P.T(accept))""", Get("/", "Accept: text/csv"), Get("/"));
        f.Add("string-array", """MapGet("/", ([FromHeader(Name = "X-Tag")] string[] tags) => P.T(tags))""", Get("/", "X-Tag: a", "X-Tag: b"), Get("/", "X-Tag: a, b"), Get("/"));
        f.Add("int-array", """MapGet("/", ([FromHeader(Name = "X-Id")] int[] ids) => P.T(ids.Sum()))""", Get("/", "X-Id: 1", "X-Id: 2"), Get("/", "X-Id: x"));
        f.Add("stringvalues", """MapGet("/", ([FromHeader(Name = "X-Tag")] StringValues tags) => P.T(tags.Count))""", Get("/", "X-Tag: a", "X-Tag: b"), Get("/"));
        f.Add("guid", """MapGet("/", ([FromHeader(Name = "X-Id")] Guid id) => P.T(id))""", Get("/", "X-Id: 00000000-0000-0000-0000-000000000002"), Get("/", "X-Id: two"));
        f.Add("datetime", """MapGet("/", ([FromHeader(Name = "X-When")] DateTime when) => P.T(when.Year))""", Get("/", "X-When: 2020-01-01"), Get("/", "X-When: soon"));
        f.Add("bool", """MapGet("/", ([FromHeader(Name = "X-Flag")] bool flag) => P.T(flag))""", Get("/", "X-Flag: true"), Get("/", "X-Flag: on"), Get("/"));
        f.Add("enum", """MapGet("/", ([FromHeader(Name = "X-Color")] Color color) => P.T(color))""", Get("/", "X-Color: Red"), Get("/", "X-Color: Mauve"));
        f.Add("tryparse", """MapGet("/", ([FromHeader(Name = "X-Slug")] Slug slug) => P.T(slug.Value))""", Get("/", "X-Slug: ok"), Get("/", "X-Slug: NO"), Get("/"));
        f.Add("with-query", """MapGet("/", ([FromHeader(Name = "X-Name")] string name, int n) => P.T(name + n))""", Get("/?n=1", "X-Name: a"), Get("/?n=1"), Get("/", "X-Name: a"));
        return f.Shapes;
    }
}
