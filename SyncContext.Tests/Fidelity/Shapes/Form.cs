using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> Forms()
    {
        var f = new ShapeFamily("form");
        f.Add("string", """MapPost("/", ([FromForm] string name) => P.T(name))""", Form("/", "name=ada"), Form("/", "other=1"), Post("/", "{}"), Raw("POST", "/", "application/x-www-form-urlencoded", "name=%zz"));
        f.Add("nullable-string", """MapPost("/", ([FromForm] string? name) => P.T(name ?? "none"))""", Form("/", "name=bo"), Form("/", ""));
        f.Add("default-string", """MapPost("/", ([FromForm] string name = "nobody") => P.T(name))""", Form("/", "name=cy"), Form("/", ""));
        f.Add("int", """MapPost("/", ([FromForm] int age) => P.T(age))""", Form("/", "age=30"), Form("/", "age=old"), Form("/", ""));
        f.Add("nullable-int", """MapPost("/", ([FromForm] int? age) => P.T(age))""", Form("/", "age=30"), Form("/", ""), Form("/", "age=x"));
        f.Add("stringvalues", """MapPost("/", ([FromForm] StringValues tags) => P.T(tags.ToArray()))""", Form("/", "tags=a&tags=b"), Form("/", ""));
        f.Add("aliased", """MapPost("/", ([FromForm(Name = "full-name")] string name) => P.T(name))""", Form("/", "full-name=x"), Form("/", "name=x"));
        f.Add("two-fields", """MapPost("/", ([FromForm] string name, [FromForm] int age) => P.T(name + age))""", Form("/", "name=a&age=1"), Form("/", "name=a"), Multipart("/", Field("name", "m"), Field("age", "2")));
        f.Add("collection", """MapPost("/", (IFormCollection form) => P.T(string.Join(",", form.Keys.Order())))""", Form("/", "b=1&a=2"), Multipart("/", Field("z", "1")), Post("/", "{}"), Bare("POST", "/"));
        f.Add("from-form-collection", """MapPost("/", ([FromForm] IFormCollection form) => P.T(form.Count))""", Form("/", "a=1"), Raw("POST", "/", "text/plain", "a=1"));
        f.Add("file", """MapPost("/", (IFormFile file) => P.T(file.FileName + ":" + file.Length))""", Multipart("/", File("file", "a.txt", "hello")), Multipart("/", Field("file", "not a file")), Form("/", "file=x"));
        f.Add("nullable-file", """MapPost("/", (IFormFile? file) => P.T(file?.Name ?? "no file"))""", Multipart("/", File("file", "a.txt", "hello")), Multipart("/", Field("x", "1")));
        f.Add("two-files", """MapPost("/", (IFormFile first, IFormFile second) => P.T(first.FileName + second.FileName))""", Multipart("/", File("first", "1.txt", "1"), File("second", "2.txt", "2")), Multipart("/", File("first", "1.txt", "1")));
        f.Add("file-collection", """MapPost("/", (IFormFileCollection files) => P.T(files.Count))""", Multipart("/", File("a", "1.txt", "1"), File("b", "2.txt", "2")), Form("/", "a=1"));
        f.Add("file-and-field", """MapPost("/", (IFormFile file, [FromForm] string note) => P.T(note + file.Length))""", Multipart("/", File("file", "n.txt", "abc"), Field("note", "n")), Multipart("/", File("file", "n.txt", "abc")));
        f.Add("complex", """MapPost("/", ([FromForm] Order order) => P.T(order))""", Form("/", "name=tea&quantity=2&tags=green&tags=hot"), Form("/", "quantity=lots"), Form("/", ""));
        f.Add("complex-record", """MapPost("/", ([FromForm] Todo todo) => P.T(todo.Title + todo.Id))""", Form("/", "id=1&title=t"), Form("/", "id=x&title=t"));
        f.Add("with-route", """MapPost("/{id}", (int id, [FromForm] string name) => P.T(name + id))""", Form("/5", "name=q"), Form("/x", "name=q"));
        f.Add("with-query", """MapPost("/", ([FromForm] string name, [FromQuery] int page) => P.T(name + page))""", Form("/?page=1", "name=q"), Form("/", "name=q"));
        f.Add("malformed-multipart", """MapPost("/", (IFormCollection form) => P.T(form.Count))""", Raw("POST", "/", $"multipart/form-data; boundary={FidelityRequest.Boundary}", "--wrong\r\n\r\n"), Raw("POST", "/", "multipart/form-data", "x"), Multipart("/", Field("ok", "1")));
        return f.Shapes;
    }
}
