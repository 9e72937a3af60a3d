namespace SyncContext.Analyzers.Tests.Blocking;

/// <summary>Where a blocking call counts: every shape of async handler, middleware and filter; never offloaded code.</summary>
public class RequestScopeTests
{
    [Fact]
    public Task A_task_returning_handler_that_blocks_before_it_returns_is_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", () => { {|SYNCCTX100:Thread.Sleep(100)|}; return Task.FromResult(1); });
                app.MapGet("/b", (HttpContext context) => { {|SYNCCTX102:File.ReadAllText("a")|}; return ValueTask.CompletedTask; });
            }
        }
        """);

    [Fact]
    public Task Every_map_method_groups_and_the_static_form_are_covered() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapPost("/a", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.MapPut("/a", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.MapDelete("/a", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.MapPatch("/a", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.MapMethods("/a", ["HEAD"], async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.Map("/b", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.MapFallback(async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.MapGroup("/g").MapGet("/c", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                var group = app.MapGroup("/h");
                group.MapGet("/d", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                EndpointRouteBuilderExtensions.MapGet(app, "/e", async () => {|SYNCCTX100:Thread.Sleep(1)|});
                app.MapGet("/f", async context => {|SYNCCTX100:Thread.Sleep(1)|});
            }
        }
        """);

    [Fact]
    public Task An_async_method_group_handler_is_reported_and_a_sync_one_is_not() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", Handlers.LoadAsync);
                app.MapGet("/b", Handlers.Load);
            }
        }

        public static class Handlers
        {
            public static async Task<string> LoadAsync() { await Task.Yield(); return {|SYNCCTX102:File.ReadAllText("a")|}; }

            public static string Load() => File.ReadAllText("a");

            // Async but never mapped: not request code the analyzer knows of.
            public static async Task<string> HelperAsync() { await Task.Yield(); return File.ReadAllText("a"); }
        }
        """);

    [Fact]
    public Task Lambdas_passed_to_IRunSync_inside_an_async_handler_are_not_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async (IRunSync runSync) =>
                {
                    await runSync.RunAsync(() => Thread.Sleep(100));
                    var text = await runSync.RunAsync(() => File.ReadAllText("a"));
                    return await runSync.RunAsync(path => File.ReadAllText(path), "b") + text;
                });
            }
        }
        """);

    [Fact]
    public Task Lambdas_run_inline_inside_an_async_handler_are_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async (string[] paths) =>
                {
                    await Task.Yield();
                    return paths.Select(path => {|SYNCCTX102:File.ReadAllText(path)|}).ToList();
                });
            }
        }
        """);

    [Fact]
    public Task Middleware_delegates_are_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.Use(async (context, next) => { {|SYNCCTX100:Thread.Sleep(1)|}; await next(context); });
                app.Use(async (HttpContext context, Func<Task> next) => { {|SYNCCTX100:Thread.Sleep(1)|}; await next(); });
                app.Use(next => async context => { {|SYNCCTX100:Thread.Sleep(1)|}; await next(context); });
                app.Use(next => context => { {|SYNCCTX100:Thread.Sleep(1)|}; return next(context); });
                app.Run(async context => {|SYNCCTX102:File.ReadAllText("a")|});
            }
        }
        """);

    [Fact]
    public Task Middleware_classes_are_reported() => Verify.AnalyzerAsync("""
        public sealed class ConventionMiddleware(RequestDelegate next)
        {
            public async Task InvokeAsync(HttpContext context)
            {
                {|SYNCCTX100:Thread.Sleep(1)|};
                await next(context);
            }
        }

        public sealed class FactoryMiddleware : IMiddleware
        {
            public Task InvokeAsync(HttpContext context, RequestDelegate next)
            {
                {|SYNCCTX102:File.ReadAllText("a")|};
                return next(context);
            }
        }

        // Same shape, no RequestDelegate: not a middleware.
        public sealed class NotMiddleware
        {
            public async Task InvokeAsync(HttpContext context) { await Task.Yield(); Thread.Sleep(1); }
        }
        """);

    [Fact]
    public Task Endpoint_filters_are_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", () => "x")
                    .AddEndpointFilter(async (context, next) => { {|SYNCCTX100:Thread.Sleep(1)|}; return await next(context); })
                    .AddEndpointFilter<RouteHandlerBuilder, AuditFilter>()
                    .AddEndpointFilterFactory((factory, next) => async context => { {|SYNCCTX100:Thread.Sleep(1)|}; return await next(context); });
            }
        }

        public sealed class AuditFilter : IEndpointFilter
        {
            public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
            {
                {|SYNCCTX102:File.AppendAllText("audit.log", "x")|};
                return await next(context);
            }
        }
        """);

    [Fact]
    public Task Async_code_outside_request_code_is_not_reported() => Verify.AnalyzerAsync("""
        public static class Startup
        {
            public static async Task MigrateAsync()
            {
                await Task.Yield();
                Thread.Sleep(1);
                File.ReadAllText("a");
            }

            public static void Configure(WebApplication app)
            {
                var text = File.ReadAllText("settings.json");
                Func<Task> later = async () => { await Task.Yield(); Thread.Sleep(1); };
                app.MapGet("/a", () => text);
            }
        }
        """);
}
