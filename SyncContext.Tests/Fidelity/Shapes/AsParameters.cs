using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> AsParameters()
    {
        var f = new ShapeFamily("asparameters");
        f.Add("class", """MapGet("/", ([AsParameters] QueryArgs args) => P.T(args.Page + ":" + args.Size + ":" + args.Tenant))""", Get("/?page=2&size=5", "X-Tenant: t"), Get("/?page=2"), Get("/"), Get("/?page=two"));
        f.Add("record", """MapGet("/{id}", ([AsParameters] RouteArgs args) => P.T(args))""", Get("/3?sort=asc"), Get("/3"), Get("/x"));
        f.Add("record-struct", """MapGet("/", ([AsParameters] StructArgs args) => P.T(args.Page * args.Size))""", Get("/?page=2&size=3"), Get("/?page=2"), Get("/?page=a&size=1"));
        f.Add("with-body", """MapPost("/{id}", ([AsParameters] BodyArgs args) => P.T(args.Todo with { Id = args.Id }))""", Post("/4", TodoJson), Post("/4", null), Post("/4", "{"), Post("/x", TodoJson));
        f.Add("with-services", """MapGet("/", ([AsParameters] ServiceArgs args) => P.T(args.Greeter.Greet(args.Context.Request.Method) + args.Token.CanBeCanceled))""", Get("/"));
        f.Add("with-form", """MapPost("/", ([AsParameters] FormArgs args) => P.T(args.Name + (args.File?.Length ?? -1)))""", Form("/", "name=n"), Multipart("/", Field("name", "m"), File("file", "f.txt", "four")), Form("/", ""));
        f.Add("defaults", """MapGet("/", ([AsParameters] DefaultArgs args) => P.T(args))""", Get("/?page=3&sort=desc"), Get("/"), Get("/?page=x"));
        f.Add("binders", """MapGet("/", ([AsParameters] BindArgs args) => P.T(args.Paging?.Page + args.Slug?.Value + args.Tenant))""", Get("/?page=1&slug=s", "X-Tenant: t"), Get("/", "X-Tenant: t"), Get("/?slug=S", "X-Tenant: t"), Get("/"));
        f.Add("and-route", """MapGet("/{id}", (int id, [AsParameters] StructArgs args) => P.T(id + args.Page))""", Get("/1?page=1&size=1"), Get("/1"));
        f.Add("two", """MapGet("/{id}", ([AsParameters] RouteArgs route, [AsParameters] StructArgs paging) => P.T(paging.Size + route.Sort))""", Get("/1?page=1&size=2&sort=z"), Get("/1?size=2"));
        return f.Shapes;
    }

    private static IReadOnlyList<Shape> Binders()
    {
        var f = new ShapeFamily("binders");
        f.Add("bindasync-class", """MapGet("/", (PageRequest paging) => P.T(paging.Page))""", Get("/?page=3"), Get("/"), Get("/?page=x"));
        f.Add("bindasync-nullable", """MapGet("/", (PageRequest? paging) => P.T(paging?.Page ?? -1))""", Get("/?page=3"), Get("/"));
        f.Add("bindasync-parameterinfo", """MapGet("/", (Tagged tag) => P.T(tag.Text))""", Get("/", "X-Tag: t1"), Get("/"));
        f.Add("bindasync-parameterinfo-nullable", """MapGet("/", (Tagged? tag) => P.T(tag?.Text))""", Get("/", "X-Tag: t1"), Get("/"));
        f.Add("bindasync-struct", """MapGet("/", (TokenStruct token) => P.T(token.Value))""", Get("/", "X-Token: abc"), Get("/"));
        f.Add("bindasync-nullable-struct", """MapGet("/", (TokenStruct? token) => P.T(token?.Value ?? "no token"))""", Get("/", "X-Token: abc"), Get("/"));
        f.Add("bindasync-throws", """MapGet("/", (Exploding value) => P.T("bound"))""", Get("/"), Get("/?boom=1"));
        f.Add("bindable-interface", """MapGet("/", (Bindable value) => P.T(value.Text))""", Get("/?b=x"), Get("/"));
        f.Add("bindable-interface-nullable", """MapGet("/", (Bindable? value) => P.T(value?.Text ?? "none"))""", Get("/?b=x"), Get("/"));
        f.Add("bindasync-and-body", """MapPost("/", (PageRequest paging, Todo todo) => P.T(paging.Page + todo.Id))""", Post("/?page=1", TodoJson), Post("/", TodoJson), Post("/?page=1", null));
        f.Add("tryparse-route-and-query", """MapGet("/{slug}", (Slug slug, Celsius? t) => P.T(slug.Value + t?.Degrees))""", Get("/a?t=1C"), Get("/a"), Get("/A?t=1C"), Get("/a?t=1K"));
        f.Add("tryparse-header-nullable", """MapGet("/", ([FromHeader(Name = "X-T")] Celsius? t) => P.T(t))""", Get("/", "X-T: 5C"), Get("/"), Get("/", "X-T: 5"));
        f.Add("tryparse-form", """MapPost("/", ([FromForm] Slug slug) => P.T(slug.Value))""", Form("/", "slug=ok"), Form("/", "slug=NO"), Form("/", ""));
        f.Add("uri", """MapGet("/", (Uri target) => P.T(target.Host))""", Get("/?target=http%3A%2F%2Fexample.invalid%2Fx"), Get("/?target=%3A%3A"), Get("/"));
        f.Add("version", """MapGet("/", (Version version) => P.T(version.Major))""", Get("/?version=1.2.3"), Get("/?version=one"));
        f.Add("ipaddress", """MapGet("/", (System.Net.IPAddress address) => P.T(address.AddressFamily.ToString()))""", Get("/?address=127.0.0.1"), Get("/?address=300.1.1.1"));
        return f.Shapes;
    }
}
