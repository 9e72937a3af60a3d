using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> Route()
    {
        var f = new ShapeFamily("route");
        f.Add("int", """MapGet("/{id}", (int id) => P.T(id))""", Get("/5"), Get("/abc"), Get("/99999999999"), Get("/"));
        f.Add("long", """MapGet("/{id}", (long id) => P.T(id))""", Get("/99999999999"), Get("/1.5"));
        f.Add("short", """MapGet("/{id}", (short id) => P.T(id))""", Get("/-3"), Get("/40000"));
        f.Add("byte", """MapGet("/{id}", (byte id) => P.T(id))""", Get("/255"), Get("/256"));
        f.Add("uint", """MapGet("/{id}", (uint id) => P.T(id))""", Get("/7"), Get("/-7"));
        f.Add("double", """MapGet("/{x}", (double x) => P.T(x))""", Get("/2.5"), Get("/1e3"), Get("/two"));
        f.Add("float", """MapGet("/{x}", (float x) => P.T(x))""", Get("/0.25"), Get("/x"));
        f.Add("decimal", """MapGet("/{x}", (decimal x) => P.T(x))""", Get("/19.99"), Get("/19,99x"));
        f.Add("bool", """MapGet("/{flag}", (bool flag) => P.T(flag))""", Get("/true"), Get("/False"), Get("/yes"));
        f.Add("guid", """MapGet("/{id}", (Guid id) => P.T(id))""", Get("/3f2504e0-4f89-11d3-9a0c-0305e82c3301"), Get("/not-a-guid"));
        f.Add("datetime", """MapGet("/{when}", (DateTime when) => P.T(when))""", Get("/2024-02-29T10:00:00"), Get("/2024-02-30"));
        f.Add("datetimeoffset", """MapGet("/{when}", (DateTimeOffset when) => P.T(when))""", Get("/2024-01-01T00:00:00%2B02:00"), Get("/yesterday"));
        f.Add("dateonly", """MapGet("/{day}", (DateOnly day) => P.T(day))""", Get("/2024-12-24"), Get("/24.12.2024x"));
        f.Add("timeonly", """MapGet("/{time}", (TimeOnly time) => P.T(time))""", Get("/13:45"), Get("/25:99"));
        f.Add("timespan", """MapGet("/{span}", (TimeSpan span) => P.T(span))""", Get("/01:02:03"), Get("/forever"));
        f.Add("string", """MapGet("/{name}", (string name) => P.T("hello " + name))""", Get("/ada"), Get("/%C3%A9t%C3%A9"), Get("/"));
        f.Add("char", """MapGet("/{c}", (char c) => P.T(c))""", Get("/x"), Get("/xy"));
        f.Add("enum", """MapGet("/{color}", (Color color) => P.T(color))""", Get("/Green"), Get("/green"), Get("/Purple"), Get("/2"));
        f.Add("optional-int", """MapGet("/{id?}", (int? id) => P.T(id ?? -1))""", Get("/4"), Get("/"), Get("/four"));
        f.Add("optional-string", """MapGet("/{name?}", (string? name) => P.T(name ?? "nobody"))""", Get("/bo"), Get("/"));
        f.Add("default-value", """MapGet("/{id?}", (int id = 7) => P.T(id))""", Get("/8"), Get("/"), Get("/eight"));
        f.Add("constraint", """MapGet("/{id:int:min(1)}", (int id) => P.T(id))""", Get("/3"), Get("/0"), Get("/abc"));
        f.Add("catch-all", """MapGet("/{**rest}", (string rest) => P.T("rest=" + rest))""", Get("/a/b/c"), Get("/a%2Fb"), Get("/"));
        f.Add("two-values", """MapGet("/{a}/{b}", (int a, string b) => P.T(b + a))""", Get("/1/x"), Get("/x/1"), Get("/1"));
        f.Add("tryparse-class", """MapGet("/{slug}", (Slug slug) => P.T(slug.Value))""", Get("/hello"), Get("/Hello1"));
        f.Add("tryparse-struct", """MapGet("/{t}", (Celsius t) => P.T(t.Degrees))""", Get("/21.5C"), Get("/21.5F"));
        f.Add("from-route-name", """MapGet("/{item-id}", ([FromRoute(Name = "item-id")] int id) => P.T(id))""", Get("/12"), Get("/twelve"));
        return f.Shapes;
    }
}
