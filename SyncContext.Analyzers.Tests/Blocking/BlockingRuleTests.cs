namespace SyncContext.Analyzers.Tests.Blocking;

/// <summary>Each rule: its calls are reported in an async handler, and the same calls are not in a sync one (which SyncContext offloads).</summary>
public class BlockingRuleTests
{
    [Fact]
    public Task Thread_Sleep_in_an_async_handler_is_SYNCCTX100() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async () => { {|SYNCCTX100:Thread.Sleep(100)|}; await Task.Yield(); return "x"; });
                app.MapGet("/b", async () => { {|SYNCCTX100:Thread.Sleep(TimeSpan.FromMilliseconds(1))|}; return "x"; });
            }
        }
        """);

    [Fact]
    public Task Thread_Sleep_in_a_sync_handler_is_not_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", () => { Thread.Sleep(100); return "x"; });
                app.MapGet("/b", (int id) => Thread.Sleep(id));
            }
        }
        """);

    [Fact]
    public Task Waits_on_tasks_and_value_tasks_in_an_async_handler_are_SYNCCTX101() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async (HttpClient client) =>
                {
                    var text = {|SYNCCTX101:client.GetStringAsync("http://x/").Result|};
                    var bytes = {|SYNCCTX101:client.GetByteArrayAsync("http://x/").GetAwaiter().GetResult()|};
                    var later = Task.Delay(1);
                    {|SYNCCTX101:later.Wait()|};
                    {|SYNCCTX101:Task.WaitAll(later)|};
                    {|SYNCCTX101:later.ConfigureAwait(false).GetAwaiter().GetResult()|};
                    ValueTask<int> value = new(1);
                    var one = {|SYNCCTX101:value.Result|};
                    {|SYNCCTX101:new ValueTask().GetAwaiter().GetResult()|};
                    await Task.Yield();
                    return text + bytes.Length + one;
                });
            }
        }
        """);

    [Fact]
    public Task Waits_on_tasks_in_a_sync_handler_and_awaits_are_not_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", (HttpClient client) => client.GetStringAsync("http://x/").Result);
                app.MapGet("/b", (HttpClient client) => client.GetStringAsync("http://x/").GetAwaiter().GetResult());
                app.MapGet("/c", async (HttpClient client) => await client.GetStringAsync("http://x/"));
                app.MapGet("/d", async () => { var t = Task.Delay(1); t.Wait(0); await t; });
            }
        }
        """);

    [Fact]
    public Task Sync_file_stream_reader_socket_and_http_io_in_an_async_handler_is_SYNCCTX102() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapPost("/a", async (HttpContext context, HttpClient client, Socket socket) =>
                {
                    var text = {|SYNCCTX102:File.ReadAllText("a.txt")|};
                    {|SYNCCTX102:File.WriteAllBytes("b.bin", new byte[1])|};
                    var buffer = new byte[16];
                    var read = {|SYNCCTX102:context.Request.Body.Read(buffer, 0, buffer.Length)|};
                    {|SYNCCTX102:context.Response.Body.Write(buffer, 0, read)|};
                    {|SYNCCTX102:context.Response.Body.Flush()|};
                    using var file = File.OpenRead("c.txt");
                    {|SYNCCTX102:file.CopyTo(context.Response.Body)|};
                    using var reader = new StreamReader(context.Request.Body);
                    var body = {|SYNCCTX102:reader.ReadToEnd()|};
                    using var writer = new StreamWriter(context.Response.Body);
                    {|SYNCCTX102:writer.Write(42)|};
                    {|SYNCCTX102:socket.Send(buffer)|};
                    using var response = {|SYNCCTX102:client.Send(new HttpRequestMessage(HttpMethod.Get, "http://x/"))|};
                    await Task.Yield();
                    return text + body;
                });
            }
        }
        """);

    [Fact]
    public Task In_memory_streams_and_readers_and_a_sync_handler_are_not_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async () =>
                {
                    using var memory = new MemoryStream();
                    memory.Write(new byte[4], 0, 4);
                    memory.Flush();
                    using var reader = new StringReader("text");
                    var line = reader.ReadLine();
                    TextWriter writer = new StringWriter();
                    writer.Write(line);
                    await Task.Yield();
                    return writer.ToString();
                });
                app.MapGet("/b", (HttpContext context) =>
                {
                    var text = File.ReadAllText("a.txt");
                    using var reader = new StreamReader(context.Request.Body);
                    return text + reader.ReadToEnd();
                });
            }
        }
        """);

    [Fact]
    public Task Sync_ado_net_in_an_async_handler_is_SYNCCTX103() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async (DbConnection connection, IDbCommand legacy) =>
                {
                    {|SYNCCTX103:connection.Open()|};
                    using var command = connection.CreateCommand();
                    var count = {|SYNCCTX103:command.ExecuteScalar()|};
                    {|SYNCCTX103:command.ExecuteNonQuery()|};
                    using var reader = {|SYNCCTX103:command.ExecuteReader()|};
                    while ({|SYNCCTX103:reader.Read()|}) { }
                    {|SYNCCTX103:legacy.ExecuteNonQuery()|};
                    await Task.Yield();
                    return count;
                });
            }
        }
        """);

    [Fact]
    public Task Sync_ado_net_in_a_sync_handler_and_its_async_api_are_not_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", (DbConnection connection) =>
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    return command.ExecuteScalar();
                });
                app.MapGet("/b", async (DbConnection connection) =>
                {
                    await connection.OpenAsync();
                    using var command = connection.CreateCommand();
                    return await command.ExecuteScalarAsync();
                });
            }
        }
        """);

    [Fact]
    public Task Blocking_waits_on_primitives_in_an_async_handler_are_SYNCCTX104() => Verify.AnalyzerAsync("""
        public static class App
        {
            private static readonly object s_gate = new();
            private static readonly SemaphoreSlim s_semaphore = new(1);
            private static readonly ManualResetEventSlim s_slim = new();
            private static readonly ManualResetEvent s_event = new(false);

            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async () =>
                {
                    {|SYNCCTX104:Monitor.Enter(s_gate)|};
                    {|SYNCCTX104:Monitor.Wait(s_gate)|};
                    Monitor.Exit(s_gate);
                    {|SYNCCTX104:s_semaphore.Wait()|};
                    {|SYNCCTX104:s_slim.Wait()|};
                    {|SYNCCTX104:s_event.WaitOne()|};
                    await Task.Yield();
                    return "x";
                });
            }
        }
        """);

    [Fact]
    public Task Waits_on_primitives_in_a_sync_handler_zero_timeouts_and_lock_are_not_reported() => Verify.AnalyzerAsync("""
        public static class App
        {
            private static readonly object s_gate = new();
            private static readonly SemaphoreSlim s_semaphore = new(1);
            private static readonly ManualResetEvent s_event = new(false);

            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", () => { s_semaphore.Wait(); s_event.WaitOne(); Monitor.Enter(s_gate); return "x"; });
                app.MapGet("/b", async () =>
                {
                    if (s_semaphore.Wait(0)) { s_semaphore.Release(); }
                    var set = s_event.WaitOne(0);
                    lock (s_gate) { }
                    await s_semaphore.WaitAsync();
                    return set;
                });
            }
        }
        """);

    [Fact]
    public Task A_provider_member_that_hides_the_ado_net_one_is_SYNCCTX103() => Verify.AnalyzerAsync("""
        public abstract class ProviderCommand : DbCommand
        {
            public new ProviderReader ExecuteReader() => throw new NotSupportedException();
        }

        public abstract class ProviderReader : DbDataReader
        {
        }

        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async (ProviderCommand command) =>
                {
                    using var reader = {|SYNCCTX103:command.ExecuteReader()|};
                    await Task.Yield();
                    return {|SYNCCTX103:reader.Read()|};
                });
            }
        }
        """);

    [Fact]
    public Task The_editorconfig_setting_the_readme_gives_silences_a_rule()
    {
        var test = new Verify.Test
        {
            TestCode = Verify.Usings + """
                public static class App
                {
                    public static void Configure(WebApplication app)
                        => app.MapGet("/a", async () => { Thread.Sleep(1); await Task.Yield(); return File.ReadAllText("a"); });
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.SYNCCTX100.severity = none
            dotnet_diagnostic.SYNCCTX102.severity = none
            """));
        return test.RunAsync();
    }
}
