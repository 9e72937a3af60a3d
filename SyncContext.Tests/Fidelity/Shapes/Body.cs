using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private const string TodoJson = """{"id":1,"title":"write tests"}""";

    private static IReadOnlyList<Shape> Body()
    {
        var f = new ShapeFamily("body");
        FidelityRequest[] todoRequests =
        [
            Post("/", TodoJson), Post("/", null), Post("/", "{\"id\":1,"), Post("/", "null"), Post("/", """{"id":"one","title":"x"}"""),
            Raw("POST", "/", "text/plain", TodoJson), Post("/", "[1,2]"),
        ];
        f.Add("record", """MapPost("/", (Todo todo) => P.T(todo with { Title = todo.Title.ToUpperInvariant() }))""", todoRequests);
        f.Add("class", """MapPost("/", (TodoClass todo) => P.T(todo.Title + todo.Id))""", todoRequests);
        f.Add("nullable-record", """MapPost("/", (Todo? todo) => P.T(todo?.Title ?? "no todo"))""", todoRequests);
        f.Add("default-record", """MapPost("/", (Todo? todo = null) => P.T(todo))""", Post("/", TodoJson), Post("/", null), Post("/", "null"));
        f.Add("explicit", """MapPost("/", ([FromBody] Todo todo) => P.T(todo.Id))""", Post("/", TodoJson), Post("/", null), Post("/", "{"));
        f.Add("empty-allowed", """MapPost("/", ([FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] Todo todo) => P.T(todo is null))""", Post("/", TodoJson), Post("/", null));
        f.Add("record-struct", """MapPost("/", (PointStruct point) => P.T(point.X + point.Y))""", Post("/", """{"x":1,"y":2}"""), Post("/", null), Post("/", "{x"), Post("/", "null"));
        f.Add("struct", """MapPost("/", (BodyStruct body) => P.T(body.Label + body.X))""", Post("/", """{"x":3,"label":"n"}"""), Post("/", null), Post("/", "]"));
        f.Add("nullable-struct", """MapPost("/", (PointStruct? point) => P.T(point?.X ?? -1))""", Post("/", """{"x":1,"y":2}"""), Post("/", null), Post("/", "null"));
        f.Add("int", """MapPost("/", ([FromBody] int n) => P.T(n + 1))""", Post("/", "41"), Post("/", null), Post("/", "\"41\""));
        f.Add("string", """MapPost("/", ([FromBody] string text) => P.T(text.Length))""", Post("/", "\"abc\""), Post("/", null), Post("/", "abc"));
        f.Add("int-array", """MapPost("/", ([FromBody] int[] numbers) => P.T(numbers.Sum()))""", Post("/", "[1,2,3]"), Post("/", null), Post("/", "[1,\"x\"]"));
        f.Add("list", """MapPost("/", (List<Todo> todos) => P.T(todos.Count))""", Post("/", $"[{TodoJson},{TodoJson}]"), Post("/", "[]"), Post("/", TodoJson));
        f.Add("dictionary", """MapPost("/", (Dictionary<string, int> counts) => P.T(counts.Values.Sum()))""", Post("/", """{"a":1,"b":2}"""), Post("/", """{"a":"x"}"""));
        f.Add("jsonelement", """MapPost("/", (JsonElement element) => P.T(element.ValueKind.ToString()))""", Post("/", "[true]"), Post("/", null), Post("/", "{"));
        f.Add("jsonnode", """MapPost("/", (JsonNode? node) => P.T(node?["a"]?.ToString() ?? "none"))""", Post("/", """{"a":5}"""), Post("/", "null"));
        f.Add("object", """MapPost("/", ([FromBody] object value) => P.T(value.ToString()))""", Post("/", "{\"k\":[1]}"), Post("/", null));
        f.Add("nested", """MapPost("/", (Nested nested) => P.T(nested))""", Post("/", "{\"inner\":" + TodoJson + ",\"tags\":[1,2],\"counts\":{\"x\":1}}"), Post("/", """{"inner":5}"""), Post("/", "{}"));
        f.Add("required-members", """MapPost("/", (RequiredTodo todo) => P.T(todo.Title))""", Post("/", TodoJson), Post("/", """{"id":1}"""));
        f.Add("enum-members", """MapPost("/", (WithEnum value) => P.T(value))""", Post("/", """{"color":1,"when":"2024-01-01T00:00:00","id":null}"""), Post("/", """{"color":"Red"}"""));
        f.Add("with-route", """MapPut("/{id}", (int id, Todo todo) => P.T(todo with { Id = id }))""", Json("PUT", "/3", TodoJson), Json("PUT", "/x", TodoJson), Json("PUT", "/3", null));
        f.Add("patch", """MapPatch("/{id}", (int id, TodoClass patch) => P.T(patch.Done ? id : -id))""", Json("PATCH", "/2", """{"done":true}"""), Json("PATCH", "/2", "nope"));
        f.Add("delete-with-body", """MapDelete("/", ([FromBody] Todo todo) => P.T(todo.Id))""", Json("DELETE", "/", TodoJson), Delete("/"));
        f.Add("charset", """MapPost("/", (Todo todo) => P.T(todo.Title))""", Raw("POST", "/", "application/json; charset=utf-8", TodoJson), Raw("POST", "/", "application/json; charset=latin1", TodoJson));
        f.Add("vendor-json", """MapPost("/", (Todo todo) => P.T(todo.Title))""", Raw("POST", "/", "application/vnd.fidelity+json", TodoJson), Raw("POST", "/", "application/problem+json", TodoJson));
        f.Add("no-content-type", """MapPost("/", (Todo todo) => P.T(todo.Title))""", new FidelityRequest("POST", "/", null, TodoJson), Post("/", TodoJson));
        f.Add("case-insensitive", """MapPost("/", (Todo todo) => P.T(todo.Title))""", Post("/", """{"ID":4,"TITLE":"caps"}"""), Post("/", """{"id":4,"title":"x","extra":[1]}"""));
        f.Add("trailing-garbage", """MapPost("/", (Todo todo) => P.T(todo.Id))""", Post("/", TodoJson + "x"), Post("/", TodoJson + "   "));
        f.Add("deep", """MapPost("/", (JsonElement element) => P.T(element.GetArrayLength()))""", Post("/", new string('[', 70) + new string(']', 70)), Post("/", new string('[', 60) + new string(']', 60)));
        f.Add("body-and-query", """MapPost("/", (Todo todo, int page) => P.T(todo.Id * page))""", Post("/?page=2", TodoJson), Post("/", TodoJson), Post("/?page=x", null));
        f.Add("body-and-header", """MapPost("/", (Todo todo, [FromHeader(Name = "X-Actor")] string actor) => P.T(actor + todo.Id))""", Post("/", TodoJson, "X-Actor: me"), Post("/", TodoJson));
        f.Add("method-group", """MapPost("/", Handlers.StaticTodo)""", Post("/", TodoJson), Post("/", null));
        return f.Shapes;
    }
}
