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
        { "static call form", """EndpointRouteBuilderExtensions.MapGet(app, "/", () => "x");""" },
        { "static call form of MapMethods", """EndpointRouteBuilderExtensions.MapMethods(app, "/", new[] { "GET" }, () => "x");""" },
        { "static call form of MapFallback", """EndpointRouteBuilderExtensions.MapFallback(app, () => "x");""" },
        { "static call form with named arguments", """EndpointRouteBuilderExtensions.MapPost(handler: () => "x", pattern: "/", endpoints: app);""" },
        { "conditional access", """IEndpointRouteBuilder? routes = app; routes?.MapGet("/", () => "x");""" },
        { "Delegate variable", """Delegate handler = () => "x"; app.MapGet("/", handler);""" },
        { "Delegate variable holding an async lambda", """Delegate handler = async () => { await Task.Yield(); return "x"; }; app.MapGet("/", handler);""" },
        { "MulticastDelegate variable", """MulticastDelegate handler = () => "x"; app.MapGet("/", handler);""" },
        { "Delegate parameter of a local wrapper", """RouteHandlerBuilder MapLegacy(IEndpointRouteBuilder e, string p, Delegate h) => e.MapGet(p, h); MapLegacy(app, "/", () => "x");""" },
        { "Delegate returned by a generic method", """static Delegate Make<T>(Func<T> f) => f; app.MapGet("/", Make(() => "x"));""" },
        { "type parameter constrained to Delegate", """static void Map<T>(IEndpointRouteBuilder e, T h) where T : Delegate => e.MapGet("/", h); Map(app, () => "x");""" },
        { "static lambda", """app.MapGet("/", static () => "x");""" },
        { "MapMethods with a variable", """var methods = new List<string> { "GET", "HEAD" }; app.MapMethods("/", methods, () => "x");""" },
        { "generic method group", """app.MapGet("/", Generic.Echo<int>);""" },
        { "custom awaitable (the runtime decides)", """app.MapGet("/", () => new Generic.Awaitable());""" },
        { "Func<object> that may hold an async method", """Func<object> handler = Handlers.StaticAsync; app.MapGet("/", handler);""" },
    };

    public static TheoryData<string, string> LeftAlone => new()
    {
        { "async lambda", """app.MapGet("/", async () => { await Task.Yield(); return "x"; });""" },
        { "lambda returning Task<T>", """app.MapGet("/", () => Task.FromResult("x"));""" },
        { "lambda returning ValueTask", """app.MapGet("/", () => ValueTask.CompletedTask);""" },
        { "method group returning Task<T>", """app.MapGet("/", Handlers.StaticAsync);""" },
        { "RequestDelegate overload", """app.MapGet("/", (HttpContext context) => context.Response.WriteAsync("x"));""" },
        { "static call form of an async lambda", """EndpointRouteBuilderExtensions.MapGet(app, "/", async () => { await Task.Yield(); return "x"; });""" },
        { "Func<Task<string>> variable", """Func<Task<string>> handler = Handlers.StaticAsync; app.MapGet("/", handler);""" },
    };

    [Theory]
    [MemberData(nameof(SyncShapes))]
    public void Sync_handler_is_intercepted(string shape, string statements)
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program(statements), GenericHandlers);
        var result = GeneratorHarness.Run(compilation);

        result.InterceptedCalls.ShouldBe(1, shape);
        result.Source!.ShouldContain(GeneratorHarness.InterceptableLocations(compilation).ShouldHaveSingleItem(), Case.Sensitive, shape);
        result.Diagnostics.ShouldBeEmpty(shape);
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    [Fact]
    public void Delegate_parameter_of_an_extension_wrapper_is_intercepted_inside_the_wrapper()
    {
        var wrapper = GeneratorHarness.Usings + """
            namespace TestApp
            {
                public static class LegacyRoutes
                {
                    public static RouteHandlerBuilder MapLegacy(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler)
                        => endpoints.MapGet(pattern, handler);
                }
            }
            """;
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program("""app.MapLegacy("/a", () => "a"); app.MapLegacy("/b", (int id) => id);"""), wrapper);

        var result = GeneratorHarness.Run(compilation);

        result.InterceptedCalls.ShouldBe(1);
        result.Source!.ShouldContain(GeneratorHarness.InterceptableLocations(compilation).ShouldHaveSingleItem());
        result.Source!.ShouldContain("// File1.cs(");
        result.Diagnostics.ShouldBeEmpty();
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }

    private const string GenericHandlers = GeneratorHarness.Usings + """
        namespace TestApp
        {
            public static class Generic
            {
                public static T Echo<T>(T value) => value;

                public sealed class Awaitable
                {
                    public System.Runtime.CompilerServices.TaskAwaiter<string> GetAwaiter() => Task.FromResult("x").GetAwaiter();
                }
            }
        }
        """;

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
    public void Sync_handler_with_a_RoutePattern_is_reported_and_not_intercepted()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(
            """app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), () => "x");""")));

        result.Source.ShouldBeNull();
        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe("SYNCCTX004");
        diagnostic.Severity.ShouldBe(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldContain("Add .OffloadSync() to the endpoint or its group");
    }

    [Theory]
    [InlineData("""Delegate handler = () => "x"; app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), handler);""", "handler of type 'System.Delegate'")]
    [InlineData("""var handler = (Delegate)(() => "x"); app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), handler);""", "handler of type 'System.Delegate'")]
    [InlineData("""Delegate? handler = Environment.ProcessorCount > 0 ? () => "x" : null; app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), handler);""", "handler of type 'System.Delegate?'")]
    [InlineData("""EndpointRouteBuilderExtensions.Map(app, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), () => "x");""", "synchronous handler")]
    public void Other_handlers_with_a_RoutePattern_are_reported_too(string statements, string handler)
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(statements)));

        result.Source.ShouldBeNull();
        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Id.ShouldBe("SYNCCTX004");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).ShouldStartWith($"The {handler}");
    }

    [Fact]
    public void A_RoutePattern_endpoint_with_OffloadSync_is_not_reported()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.Compile(HandlerShapes.Program(
            """app.Map(Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/x"), () => "x").OffloadSync();""")));

        result.Source.ShouldBeNull();
        result.Diagnostics.ShouldBeEmpty();
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
    public void With_the_Request_Delegate_Generator_sync_Map_calls_are_left_to_it_and_not_reported()
    {
        var compilation = GeneratorHarness.Compile(HandlerShapes.Program(
            """app.MapGet("/", () => "x"); app.MapGroup("/g").MapPost("/", (Todo todo) => todo); app.MapGet("/async", async () => { await Task.Yield(); return "x"; });"""));

        var result = GeneratorHarness.Run(compilation, requestDelegateGenerator: true);

        result.Source.ShouldBeNull();
        // Two interceptors on one call is CS9153; the runtime offloads these endpoints when routing picks them.
        result.Diagnostics.ShouldBeEmpty();
        GeneratorHarness.ShouldCompileWithoutErrors(result.Output);
    }
}
