using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> Query()
    {
        var f = new ShapeFamily("query");
        f.Add("int", """MapGet("/", (int n) => P.T(n))""", Get("/?n=3"), Get("/"), Get("/?n=three"), Get("/?n="));
        f.Add("nullable-int", """MapGet("/", (int? n) => P.T(n))""", Get("/?n=3"), Get("/"), Get("/?n=x"));
        f.Add("default-int", """MapGet("/", (int n = 42) => P.T(n))""", Get("/?n=1"), Get("/"), Get("/?n=x"));
        f.Add("string", """MapGet("/", (string q) => P.T(q))""", Get("/?q=abc"), Get("/"), Get("/?q="));
        f.Add("nullable-string-echo", """MapGet("/", (string? q) => P.T(q))""", Get("/?q=abc"), Get("/"));
        f.Add("nullable-string-coalesced", """MapGet("/", (string? q) => P.T(q ?? "none"))""", Get("/?q=abc"), Get("/"));
        f.Add("default-string", """MapGet("/", (string q = "fallback") => P.T(q))""", Get("/?q=x"), Get("/"));
        f.Add("bool", """MapGet("/", (bool on) => P.T(on))""", Get("/?on=true"), Get("/"), Get("/?on=1"));
        f.Add("nullable-bool", """MapGet("/", (bool? on) => P.T(on))""", Get("/?on=false"), Get("/"), Get("/?on=maybe"));
        f.Add("double", """MapGet("/", (double x) => P.T(x * 2))""", Get("/?x=1.25"), Get("/?x=NaN"), Get("/?x=1,5"));
        f.Add("decimal", """MapGet("/", (decimal price) => P.T(price))""", Get("/?price=9.99"), Get("/"), Get("/?price=cheap"));
        f.Add("long", """MapGet("/", (long big) => P.T(big))""", Get("/?big=9223372036854775807"), Get("/?big=9223372036854775808"));
        f.Add("guid", """MapGet("/", (Guid id) => P.T(id))""", Get("/?id=00000000-0000-0000-0000-000000000001"), Get("/?id=1"), Get("/"));
        f.Add("nullable-guid", """MapGet("/", (Guid? id) => P.T(id))""", Get("/?id=00000000-0000-0000-0000-000000000001"), Get("/"), Get("/?id=zz"));
        f.Add("datetime", """MapGet("/", (DateTime at) => P.T(at.ToString("O", CultureInfo.InvariantCulture)))""", Get("/?at=2024-05-06"), Get("/?at=never"));
        f.Add("dateonly-nullable", """MapGet("/", (DateOnly? day) => P.T(day))""", Get("/?day=2024-05-06"), Get("/"), Get("/?day=x"));
        f.Add("enum", """MapGet("/", (Color color) => P.T(color))""", Get("/?color=Blue"), Get("/?color=Pink"), Get("/"));
        f.Add("nullable-enum", """MapGet("/", (Color? color) => P.T(color?.ToString() ?? "no color"))""", Get("/?color=Red"), Get("/"));
        f.Add("int-array", """MapGet("/", (int[] ids) => P.T(ids.Sum()))""", Get("/?ids=1&ids=2&ids=3"), Get("/"), Get("/?ids=1&ids=x"));
        f.Add("string-array", """MapGet("/", (string[] tags) => P.T(string.Join("+", tags)))""", Get("/?tags=a&tags=b"), Get("/"));
        f.Add("nullable-int-array", """MapGet("/", (int?[] ids) => P.T(ids))""", Get("/?ids=1&ids=&ids=3"), Get("/"));
        f.Add("guid-array", """MapGet("/", (Guid[] ids) => P.T(ids.Length))""", Get("/?ids=00000000-0000-0000-0000-000000000001"), Get("/?ids=bad"));
        f.Add("string-nullable-array", """MapGet("/", (string?[]? tags) => P.T(tags?.Length ?? -1))""", Get("/?tags=a"), Get("/"));
        f.Add("params-array", """MapGet("/", (params string[] tags) => P.T(tags.Length))""", Get("/?tags=a&tags=b"), Get("/"));
        f.Add("stringvalues", """MapGet("/", (StringValues tags) => P.T(tags.ToString()))""", Get("/?tags=a&tags=b"), Get("/"));
        f.Add("aliased", """MapGet("/", ([FromQuery(Name = "p")] int page) => P.T(page))""", Get("/?p=2"), Get("/?page=2"));
        f.Add("two-values", """MapGet("/", (int a, int b) => P.T(a + b))""", Get("/?a=1&b=2"), Get("/?a=1"), Get("/?a=1&b=two"));
        f.Add("tryparse-class", """MapGet("/", (Slug slug) => P.T(slug.Value))""", Get("/?slug=abc"), Get("/?slug=ABC"), Get("/"));
        f.Add("tryparse-nullable", """MapGet("/", (Slug? slug) => P.T(slug?.Value ?? "none"))""", Get("/?slug=abc"), Get("/"), Get("/?slug=A"));
        f.Add("tryparse-provider", """MapGet("/", (Celsius t) => P.T(t))""", Get("/?t=3.5C"), Get("/?t=3.5"), Get("/"));
        f.Add("tryparse-array", """MapGet("/", (Slug[] slugs) => P.T(slugs.Select(s => s.Value)))""", Get("/?slugs=a&slugs=b"), Get("/?slugs=a&slugs=B"));
        f.Add("char", """MapGet("/", (char c) => P.T((int)c))""", Get("/?c=A"), Get("/?c=AB"));
        f.Add("uri-encoded", """MapGet("/", (string q) => P.T(q.Length))""", Get("/?q=%E2%82%AC%20%26"), Get("/?q=%"));
        return f.Shapes;
    }
}
