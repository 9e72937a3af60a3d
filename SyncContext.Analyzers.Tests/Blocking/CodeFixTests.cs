using SyncContext.AspNetCore.CodeFixes;

namespace SyncContext.Analyzers.Tests.Blocking;

public class CodeFixTests
{
    private const string UseAsync = BlockingCallCodeFixProvider.UseAsyncApiKey;
    private const string MakeSync = BlockingCallCodeFixProvider.MakeSynchronousKey;

    [Fact]
    public Task Thread_Sleep_becomes_await_Task_Delay() => Verify.CodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async () => { {|SYNCCTX100:Thread.Sleep(100)|}; await Task.Yield(); return "x"; });
        }
        """,
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async () => { await Task.Delay(100); await Task.Yield(); return "x"; });
        }
        """,
        UseAsync);

    [Fact]
    public Task File_ReadAllText_becomes_await_ReadAllTextAsync() => Verify.CodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async (string path) => { await Task.Yield(); return {|SYNCCTX102:File.ReadAllText(path)|}.Length; });
        }
        """,
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async (string path) => { await Task.Yield(); return (await File.ReadAllTextAsync(path)).Length; });
        }
        """,
        UseAsync);

    [Fact]
    public Task Result_and_GetResult_become_await() => Verify.CodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async (HttpClient client) =>
                {
                    var text = {|SYNCCTX101:client.GetStringAsync("http://x/").Result|};
                    var bytes = {|SYNCCTX101:client.GetByteArrayAsync("http://x/").GetAwaiter().GetResult()|};
                    return text + bytes.Length;
                });
        }
        """,
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async (HttpClient client) =>
                {
                    var text = await client.GetStringAsync("http://x/");
                    var bytes = await client.GetByteArrayAsync("http://x/");
                    return text + bytes.Length;
                });
        }
        """,
        UseAsync);

    [Fact]
    public Task Stream_Read_becomes_await_ReadAsync() => Verify.CodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapPost("/a", async (HttpContext context) =>
                {
                    var buffer = new byte[16];
                    var read = {|SYNCCTX102:context.Request.Body.Read(buffer, 0, buffer.Length)|};
                    await Task.Yield();
                    return read;
                });
        }
        """,
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapPost("/a", async (HttpContext context) =>
                {
                    var buffer = new byte[16];
                    var read = await context.Request.Body.ReadAsync(buffer, 0, buffer.Length);
                    await Task.Yield();
                    return read;
                });
        }
        """,
        UseAsync);

    [Fact]
    public Task The_async_api_is_not_offered_where_the_code_is_not_async() => Verify.NoCodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", () => { {|SYNCCTX100:Thread.Sleep(100)|}; return Task.FromResult(1); });
        }
        """,
        UseAsync);

    [Fact]
    public Task An_async_handler_with_no_await_becomes_synchronous() => Verify.CodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async (int id) => { {|SYNCCTX100:Thread.Sleep(id)|}; return "x"; });
        }
        """,
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", (int id) => { Thread.Sleep(id); return "x"; });
        }
        """,
        MakeSync);

    [Fact]
    public Task A_Task_FromResult_handler_becomes_synchronous() => Verify.CodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", (int id) =>
                {
                    {|SYNCCTX100:Thread.Sleep(100)|};
                    if (id > 1) { return Task.FromResult(id); }
                    return Task.FromResult(0);
                });
        }
        """,
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", (int id) =>
                {
                    Thread.Sleep(100);
                    if (id > 1) { return id; }
                    return 0;
                });
        }
        """,
        MakeSync);

    [Fact]
    public Task A_handler_that_still_awaits_is_not_made_synchronous() => Verify.NoCodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async () => { {|SYNCCTX100:Thread.Sleep(100)|}; await Task.Yield(); return "x"; });
        }
        """,
        MakeSync);

    [Fact]
    public Task A_middleware_is_never_made_synchronous() => Verify.NoCodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.Run(async context => {|SYNCCTX100:Thread.Sleep(1)|});
        }
        """,
        MakeSync);

    [Fact]
    public Task A_RequestDelegate_lambda_is_not_made_synchronous() => Verify.NoCodeFixAsync(
        """
        public static class App
        {
            public static void Configure(WebApplication app)
                => app.MapGet("/a", async context => {|SYNCCTX100:Thread.Sleep(1)|});
        }
        """,
        MakeSync);
}
