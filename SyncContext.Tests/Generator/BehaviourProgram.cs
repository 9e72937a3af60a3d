namespace SyncContext.Tests.Generator;

/// <summary>The app both modes run: one endpoint per handler shape, in groups that the runtime-only mode offloads.</summary>
internal static class BehaviourProgram
{
    public static readonly string Source = GeneratorHarness.Usings + HandlerShapes.Types + """
        namespace TestApp
        {
            public static class LegacyRoutes
            {
                // The common wrapper: its Delegate parameter reaches MapGet with a shape known only at run time.
                public static RouteHandlerBuilder MapLegacy(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler)
                    => endpoints.MapGet(pattern, handler);
            }

            public static class App
            {
                public static void ConfigureServices(IServiceCollection services)
                    => services.AddSingleton<IGreeter, Greeter>();

                public static void Configure(WebApplication app)
                {
                    var api = app.MapGroup("/api")/*OFFLOAD*/;
                    api.MapGet("/none", () => { Probe.Here("none"); return "none"; });
                    api.MapGet("/route/{id:int}", (int id) => { Probe.Here("route"); return id * 2; });
                    api.MapGet("/query", (string q, int? n) => { Probe.Here("query"); return q + ":" + n; });
                    api.MapGet("/header", ([FromHeader(Name = "X-Name")] string name) => { Probe.Here("header"); return "hi " + name; });
                    api.MapPost("/json", (Todo todo) => { Probe.Here("json"); return todo with { Title = todo.Title.ToUpperInvariant() }; });
                    api.MapGet("/service", (IGreeter greeter) => { Probe.Here("service"); return greeter.Greet("service"); });
                    api.MapGet("/context", (HttpContext context) =>
                    {
                        Probe.Here("context");
                        context.Response.Headers["X-Handled"] = "yes";
                        context.Response.StatusCode = StatusCodes.Status202Accepted;
                        return "context";
                    });
                    api.MapGet("/token", (CancellationToken token) => { Probe.Here("token"); return token.CanBeCanceled; });
                    api.MapGet("/asparameters", ([AsParameters] Paging paging) => { Probe.Here("asparameters"); return paging.Page * paging.Size; });
                    api.MapGet("/defaults", (int size = 10) => { Probe.Here("defaults"); return size; });
                    api.MapGet("/nullable", (string? name) => { Probe.Here("nullable"); return name ?? "anonymous"; });
                    api.MapGet("/params", (params string[] tags) => { Probe.Here("params"); return string.Join(",", tags); });
                    api.MapGet("/static/{id:int}", Handlers.Static);
                    var handlers = new Handlers();
                    api.MapGet("/instance", handlers.Instance);
                    string Local() { Probe.Here("local"); return "local"; }
                    api.MapGet("/local", Local);
                    var captured = "captured";
                    api.MapGet("/captured", () => { Probe.Here("captured"); return captured; });
                    api.MapGet("/void", () => { Probe.Here("void"); });
                    api.MapGet("/typed", () => { Probe.Here("typed"); return new Todo(7, "typed"); });
                    api.MapGet("/iresult", () => { Probe.Here("iresult"); return Results.Text("text", "text/plain"); });
                    api.MapGet("/union/{id:int}", Results<Ok<Todo>, NotFound> (int id) =>
                    {
                        Probe.Here("union");
                        return id == 1 ? TypedResults.Ok(new Todo(1, "one")) : TypedResults.NotFound();
                    });
                    api.MapGet("/authorized", [Authorize] () => "secret");
                    api.MapPut("/todos/{id:int}", (int id, Todo todo) => { Probe.Here("put"); return todo with { Id = id }; });
                    api.MapDelete("/todos/{id:int}", (int id) => { Probe.Here("delete"); return Results.NoContent(); });
                    api.MapPatch("/todos/{id:int}", (int id) => { Probe.Here("patch"); return id; });
                    api.MapMethods("/methods", new[] { "GET", "HEAD" }, () => { Probe.Here("methods"); return "methods"; });
                    api.Map("/any", () => { Probe.Here("any"); return "any"; });
                    api.MapFallback("{*rest}", (string rest) => { Probe.Here("fallback"); return "fallback " + rest; });
                    app.MapGroup("/files")/*OFFLOAD*/.MapFallback("{*rest}", Handlers.Files);
                    api.MapGet("/filtered", () => { Probe.Here("filtered"); return "filtered"; })
                        .AddEndpointFilter(async (context, next) => { await Task.Yield(); return await next(context); })
                        .AddEndpointFilter((context, next) => next(context));
                    api.MapGet("/async", async () => { await Task.Yield(); Probe.Here("async"); return "async"; });

                    EndpointRouteBuilderExtensions.MapGet(api, "/static-form", () => { Probe.Here("static form"); return "static form"; });
                    Delegate untyped = (int id) => { Probe.Here("delegate variable"); return "delegate " + id; };
                    api.MapGet("/delegate/{id:int}", untyped);
                    api.MapLegacy("/legacy", (string q) => { Probe.Here("delegate wrapper"); return "legacy " + q; });
                    Delegate untypedAsync = async () => { await Task.Yield(); Probe.Here("delegate async"); return "delegate async"; };
                    api.MapGet("/delegate-async", untypedAsync);
                    api.MapLegacy("/legacy-async", async (HttpContext context) => { await Task.Yield(); Probe.Here("wrapper async"); context.Response.StatusCode = 201; return "wrapper async"; });

                    var pages = app.MapGroup("/pages")/*OFFLOAD*/;
                    pages.MapFallback(() => { Probe.Here("default fallback"); return "default fallback"; });
                }
            }
        }
        """;
}
