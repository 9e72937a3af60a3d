namespace SyncContext.Analyzers.Tests.Blocking;

public class SmokeTests
{
    [Fact]
    public Task Smoke() => Verify.AnalyzerAsync("""
        public static class App
        {
            public static void Configure(WebApplication app)
            {
                app.MapGet("/a", async () => { {|SYNCCTX100:Thread.Sleep(100)|}; await Task.Yield(); return "x"; });
                app.MapGet("/b", () => { Thread.Sleep(100); return "x"; });
            }
        }
        """);
}
