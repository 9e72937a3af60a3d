using static SyncContext.Tests.Fidelity.Req;

namespace SyncContext.Tests.Fidelity;

internal static partial class FidelityShapes
{
    private static IReadOnlyList<Shape> ServiceShapes()
    {
        var f = new ShapeFamily("services");
        f.Add("inferred", """MapGet("/", (IGreeter greeter) => P.T(greeter.Greet("inferred")))""", Get("/"));
        f.Add("explicit", """MapGet("/", ([FromServices] IGreeter greeter) => P.T(greeter.Greet("explicit")))""", Get("/"));
        f.Add("optional-missing", """MapGet("/", ([FromServices] IUnregistered? missing) => P.T(missing is null))""", Get("/"));
        f.Refused("required-missing", """MapGet("/", ([FromServices] IUnregistered missing) => P.T(missing.GetType().Name))""", Get("/"), Get("/?x=1"));
        f.Add("keyed", """MapGet("/", ([FromKeyedServices("formal")] IGreeter greeter) => P.T(greeter.Greet("keyed")))""", Get("/"));
        f.Add("keyed-other", """MapGet("/", ([FromKeyedServices("plain")] IGreeter greeter) => P.T(greeter.Greet("plain key")))""", Get("/"));
        f.Add("keyed-missing-optional", """MapGet("/", ([FromKeyedServices("absent")] IGreeter? greeter) => P.T(greeter is null))""", Get("/"));
        f.Refused("keyed-missing-required", """MapGet("/", ([FromKeyedServices("absent")] IGreeter greeter) => P.T(greeter.Greet("x")))""", Get("/"));
        f.Add("keyed-and-unkeyed", """MapGet("/", ([FromKeyedServices("formal")] IGreeter formal, IGreeter greeter) => P.T(formal.Greet("a") + greeter.Greet("b")))""", Get("/"));
        f.Add("provider", """MapGet("/", (IServiceProvider services) => P.T(services.GetService<IGreeter>() is not null))""", Get("/"));
        f.Add("logger", """MapGet("/", (ILogger<Todo> logger) => { logger.LogInformation("fidelity"); P.Here(); })""", Get("/"));
        f.Add("logger-factory", """MapGet("/", (ILoggerFactory loggers) => P.T(loggers.CreateLogger("x").IsEnabled(LogLevel.Critical)))""", Get("/"));
        f.Add("options", """MapGet("/", (IOptions<FidelityOptions> options) => P.T(options.Value.Motto))""", Get("/"));
        f.Add("options-snapshot", """MapGet("/", (IOptionsSnapshot<FidelityOptions> options) => P.T(options.Value))""", Get("/"));
        f.Add("configuration", """MapGet("/", (IConfiguration configuration) => P.T(configuration["fidelity:absent"] ?? "unset"))""", Get("/"));
        f.Add("environment", """MapGet("/", (IHostEnvironment environment) => P.T(environment.EnvironmentName))""", Get("/"));
        f.Add("web-environment", """MapGet("/", (IWebHostEnvironment environment) => P.T(environment.IsDevelopment()))""", Get("/"));
        f.Add("enumerable-services", """MapGet("/", (IEnumerable<IGreeter> greeters) => P.T(greeters.Count()))""", Get("/"));
        f.Add("scoped", """MapGet("/", (ScopedCounter counter, ScopedCounter again) => { counter.Count++; return P.T(again.Count); })""", Get("/"));
        f.Add("service-and-query", """MapGet("/", (IGreeter greeter, string name) => P.T(greeter.Greet(name)))""", Get("/?name=q"), Get("/"));
        f.Add("service-and-body", """MapPost("/", (IGreeter greeter, Todo todo) => P.T(greeter.Greet(todo.Title)))""", Post("/", TodoJson), Post("/", null));
        return f.Shapes;
    }

    private static IReadOnlyList<Shape> Special()
    {
        var f = new ShapeFamily("special");
        f.Add("httpcontext", """MapGet("/", (HttpContext context) => P.T(context.Request.Path.Value))""", Get("/"));
        f.Add("httpcontext-status", """MapGet("/", (HttpContext context) => { P.Here(); context.Response.StatusCode = 418; })""", Get("/"));
        f.Add("httpcontext-header", """MapGet("/", (HttpContext context) => { context.Response.Headers["X-Handled"] = "yes"; return P.T("with header"); })""", Get("/"));
        f.Add("httpcontext-status-and-string", """MapGet("/", (HttpContext context) => { context.Response.StatusCode = 202; return P.T("accepted"); })""", Get("/"));
        // What the response holds while the handler runs, read after a pause so that any write the request thread makes
        // meanwhile (RDF's Task<string> writer set the content type before awaiting the worker) has happened.
        f.Add("httpcontext-reads-content-type", """MapGet("/", (HttpContext context) => { Thread.Sleep(20); return P.T(context.Response.ContentType ?? "none yet"); })""", Get("/"));
        f.Add("httpcontext-clears-headers", """MapGet("/", (HttpContext context) => { Thread.Sleep(20); context.Response.Headers.Clear(); return P.T("cleared"); })""", Get("/"));
        f.Add("httpcontext-counts-headers", """MapGet("/", (HttpContext context) => { Thread.Sleep(20); return P.T(context.Response.Headers.Count); })""", Get("/"));
        f.Add("httpcontext-content-type", """MapGet("/", (HttpContext context) => { context.Response.ContentType = "text/csv"; return P.T("a,b"); })""", Get("/"));
        f.Add("httpcontext-write-sync-over-async", """MapGet("/", (HttpContext context) => { P.Here(); context.Response.WriteAsync("written").GetAwaiter().GetResult(); })""", Get("/"));
        f.Add("httpcontext-write-and-return", """MapGet("/", (HttpContext context) => { context.Response.WriteAsync("first ").GetAwaiter().GetResult(); return P.T("second"); })""", Get("/"));
        f.Add("httpcontext-items", """MapGet("/", (HttpContext context) => P.T(context.Items.Count >= 0))""", Get("/"));
        f.Add("httpcontext-route-values", """MapGet("/{id}", (HttpContext context) => P.T(context.Request.RouteValues["id"]))""", Get("/7"));
        f.Add("httprequest", """MapGet("/", (HttpRequest request) => P.T(request.Method + " " + request.QueryString))""", Get("/?a=1"), Get("/"));
        f.Add("httprequest-headers", """MapGet("/", (HttpRequest request) => P.T(request.Headers["X-Name"].ToString()))""", Get("/", "X-Name: n"), Get("/"));
        f.Add("httprequest-form-type", """MapPost("/", (HttpRequest request) => P.T(request.HasFormContentType))""", Form("/", "a=1"), Post("/", "{}"));
        f.Add("httpresponse", """MapGet("/", (HttpResponse response) => { response.Headers.CacheControl = "no-store"; response.StatusCode = 201; P.Here(); })""", Get("/"));
        f.Add("httpresponse-cookie", """MapGet("/", (HttpResponse response) => { response.Cookies.Append("fidelity", "1"); return P.T("cookie"); })""", Get("/"));
        f.Add("cancellation", """MapGet("/", (CancellationToken token) => P.T(token.IsCancellationRequested))""", Get("/"));
        f.Add("claims", """MapGet("/", (ClaimsPrincipal user) => P.T(user.Identity?.IsAuthenticated ?? false))""", Get("/"));
        f.Add("claims-count", """MapGet("/", (ClaimsPrincipal user) => P.T(user.Claims.Count()))""", Get("/"));
        f.Add("stream-length", """MapPost("/", (Stream body) => P.T(body.CanRead))""", Raw("POST", "/", "application/octet-stream", "raw bytes"), Bare("POST", "/"));
        f.Add("stream-copy-async", """MapPost("/", (Stream body) => { var copy = new MemoryStream(); body.CopyToAsync(copy).GetAwaiter().GetResult(); return P.T(copy.Length); })""", Raw("POST", "/", "text/plain", "twelve bytes"), Bare("POST", "/"));
        f.Add("pipereader", """MapPost("/", (PipeReader reader) => { var read = reader.ReadAsync().AsTask().GetAwaiter().GetResult(); var n = read.Buffer.Length; reader.AdvanceTo(read.Buffer.End); return P.T(n); })""", Raw("POST", "/", "text/plain", "pipe"), Bare("POST", "/"));
        f.Add("features", """MapGet("/", (HttpContext context) => P.T(context.Features.Get<IHttpResponseBodyFeature>() is not null))""", Get("/"));
        f.Add("connection", """MapGet("/", (HttpContext context) => P.T(context.Connection.LocalIpAddress?.ToString()))""", Get("/"));
        f.Add("request-aborted", """MapGet("/", (HttpContext context) => P.T(context.RequestAborted.CanBeCanceled))""", Get("/"));
        f.Add("context-and-everything", """MapPost("/{id}", (int id, HttpContext context, HttpRequest request, HttpResponse response, CancellationToken token, ClaimsPrincipal user, Todo todo) => P.T(id + todo.Title + request.Method + response.StatusCode))""", Post("/1", TodoJson), Post("/x", TodoJson), Post("/1", null));
        return f.Shapes;
    }
}
