namespace SyncContext.Tests.Generator;

/// <summary>The generated file, checked against approved snapshots with the location data scrubbed.</summary>
public class GeneratedSourceTests
{
    [Fact]
    public void Every_overload_gets_one_interceptor_shared_by_its_call_sites()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program("""
            app.MapGet("/a", () => "a");
            app.MapGet("/b/{id:int}", Handlers.Static);
            var api = app.MapGroup("/api");
            api.MapGet("/c", (IGreeter greeter) => greeter.Greet("c"));
            api.MapPost("/todos", (Todo todo) => todo);
            api.MapPut("/todos/{id:int}", (int id, Todo todo) => todo);
            api.MapDelete("/todos/{id:int}", (int id) => Results.NoContent());
            api.MapPatch("/todos/{id:int}", (int id) => id);
            app.MapMethods("/methods", new[] { "GET", "HEAD" }, () => "methods");
            app.Map("/any", () => "any");
            app.MapFallback("/api/{*rest}", () => "api fallback");
            app.MapFallback(() => "fallback");
            app.MapGet("/async", async () => { await Task.Yield(); return "async"; });
            EndpointRouteBuilderExtensions.MapGet(app, "/static-form", () => "static form");
            EndpointRouteBuilderExtensions.MapMethods(app, "/static-methods", new[] { "GET" }, () => "static methods");
            Delegate unknown = () => "unknown";
            app.MapPost("/unknown", unknown);
            """)));

        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
        Snapshot.Match(result.Source, "AllOverloads");
    }
}
