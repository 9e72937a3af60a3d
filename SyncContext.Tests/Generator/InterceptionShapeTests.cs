namespace SyncContext.Tests.Generator;

/// <summary>Which handler shapes the generator intercepts, leaves alone, or reports.</summary>
public class InterceptionShapeTests
{
    public static TheoryData<string, string> SyncShapes => new()
    {
        { "lambda without parameters", """app.MapGet("/", () => "x");""" },
        { "route parameter", """app.MapGet("/{id:int}", (int id) => id);""" },
        { "query parameter", """app.MapGet("/", (string q) => q);""" },
        { "header parameter", """app.MapGet("/", ([FromHeader(Name = "X-Name")] string name) => name);""" },
        { "JSON body", """app.MapPost("/", (Todo todo) => todo);""" },
        { "service", """app.MapGet("/", (IGreeter greeter) => greeter.Greet("x"));""" },
        { "HttpContext", """app.MapGet("/", (HttpContext context) => context.TraceIdentifier);""" },
        { "CancellationToken", """app.MapGet("/", (CancellationToken token) => token.CanBeCanceled);""" },
        { "AsParameters", """app.MapGet("/", ([AsParameters] Paging paging) => paging.Page);""" },
        { "default value", """app.MapGet("/", (int size = 10) => size);""" },
        { "nullable", """app.MapGet("/", (string? name) => name ?? "anonymous");""" },
        { "params", """app.MapGet("/", (params string[] tags) => tags.Length);""" },
        { "static method group", """app.MapGet("/{id:int}", Handlers.Static);""" },
        { "instance method group", """var handlers = new Handlers(); app.MapGet("/", handlers.Instance);""" },
        { "local function", """string Local() => "x"; app.MapGet("/", Local);""" },
        { "captured variable", """var name = "x"; app.MapGet("/", () => name);""" },
        { "returns void", """app.MapGet("/", () => { });""" },
        { "returns T", """app.MapGet("/", () => new Todo(1, "a"));""" },
        { "returns IResult", """app.MapGet("/", () => Results.Ok());""" },
        { "returns Results<Ok<T>, NotFound>", """app.MapGet("/{id:int}", Results<Ok<Todo>, NotFound> (int id) => id == 1 ? TypedResults.Ok(new Todo(1, "a")) : TypedResults.NotFound());""" },
        { "attribute on lambda", """app.MapGet("/", [Authorize] () => "x");""" },
        { "inside MapGroup", """app.MapGroup("/group").MapGet("/", () => "x");""" },
        { "on IEndpointRouteBuilder", """IEndpointRouteBuilder routes = app; routes.MapGet("/", () => "x");""" },
        { "variable of a known delegate type", """Func<string> handler = () => "x"; app.MapGet("/", handler);""" },
        { "MapPost", """app.MapPost("/", () => "x");""" },
        { "MapPut", """app.MapPut("/", () => "x");""" },
        { "MapDelete", """app.MapDelete("/", () => "x");""" },
        { "MapPatch", """app.MapPatch("/", () => "x");""" },
        { "MapMethods", """app.MapMethods("/", new[] { "GET", "HEAD" }, () => "x");""" },
        { "Map", """app.Map("/", () => "x");""" },
        { "MapFallback with pattern", """app.MapFallback("/{*rest}", () => "x");""" },
        { "MapFallback without pattern", """app.MapFallback(() => "x");""" },
    };

    public static TheoryData<string, string> LeftAlone => new()
    {
        { "async lambda", """app.MapGet("/", async () => { await Task.Yield(); return "x"; });""" },
        { "lambda returning Task<T>", """app.MapGet("/", () => Task.FromResult("x"));""" },
        { "lambda returning ValueTask", """app.MapGet("/", () => ValueTask.CompletedTask);""" },
        { "method group returning Task<T>", """app.MapGet("/", Handlers.StaticAsync);""" },
        { "RequestDelegate overload", """app.MapGet("/", (HttpContext context) => context.Response.WriteAsync("x"));""" },
        { "static call form", """EndpointRouteBuilderExtensions.MapGet(app, "/", () => "x");""" },
    };

    [Theory]
    [MemberData(nameof(SyncShapes))]
    public void Sync_handler_is_intercepted(string shape, string statements)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)));

        result.InterceptedCalls.ShouldBe(1, shape);
        result.Diagnostics.ShouldBeEmpty(shape);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Theory]
    [MemberData(nameof(LeftAlone))]
    public void Async_handler_is_not_intercepted(string shape, string statements)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)));

        result.Source.ShouldBeNull(shape);
        result.Diagnostics.ShouldBeEmpty(shape);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void Delegate_typed_handler_is_reported_and_not_intercepted()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program("""Delegate handler = () => "x"; app.MapGet("/", handler);""")));

        result.Source.ShouldBeNull();
        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe("SYNCCTX003");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldContain("'System.Delegate'");
    }

    [Fact]
    public void Sync_handler_with_a_RoutePattern_is_reported_and_not_intercepted()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(
            """app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), () => "x");""")));

        result.Source.ShouldBeNull();
        result.Diagnostics.ShouldHaveSingleItem().Id.ShouldBe("SYNCCTX004");
    }

    [Fact]
    public void Without_the_interceptors_namespace_sync_handlers_are_reported_and_the_project_builds()
    {
        var compilation = GeneratorHarness.Compile("TestApp", interceptorsEnabled: false, HandlerShapes.Program(
            """app.MapGet("/", () => "x"); app.MapGet("/async", async () => { await Task.Yield(); return "x"; });"""));

        var result = GeneratorHarness.Run(compilation);

        result.Source.ShouldBeNull();
        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe("SYNCCTX001");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldContain("<InterceptorsNamespaces>$(InterceptorsNamespaces);SyncContext.Generated</InterceptorsNamespaces>");
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void With_the_Request_Delegate_Generator_each_sync_Map_call_is_reported_with_the_fix_and_not_intercepted()
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program(
            """app.MapGet("/", () => "x"); app.MapGroup("/g").MapPost("/", (Todo todo) => todo); app.MapGet("/async", async () => { await Task.Yield(); return "x"; });"""));

        var result = GeneratorHarness.Run(compilation, requestDelegateGenerator: true);

        result.Source.ShouldBeNull();
        result.Diagnostics.Length.ShouldBe(2);
        result.Diagnostics.ShouldAllBe(d => d.Id == "SYNCCTX002" && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        result.Diagnostics.ShouldAllBe(d => d.GetMessage(null).Contains(".OffloadSync() to the endpoint or to its group"));
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }
}
