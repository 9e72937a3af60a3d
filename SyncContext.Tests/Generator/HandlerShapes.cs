namespace SyncContext.Tests.Generator;

/// <summary>Source shared by the generator tests: the types the handlers use.</summary>
internal static class HandlerShapes
{
    public const string Types = """
        namespace TestApp
        {
            public static class Probe
            {
                public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Threads = new();

                public static void Here(string key) => Threads[key] = Thread.CurrentThread.Name ?? "pool";
            }

            public sealed record Todo(int Id, string Title);

            public sealed class Paging
            {
                [FromQuery] public int Page { get; set; }
                [FromQuery] public int Size { get; set; }
            }

            public interface IGreeter
            {
                string Greet(string name);
            }

            public sealed class Greeter : IGreeter
            {
                public string Greet(string name) => "Hello " + name;
            }

            public sealed class Handlers
            {
                public static string Static(int id)
                {
                    Probe.Here("static");
                    return "static " + id;
                }

                public static string Files(string rest)
                {
                    Probe.Here("method fallback");
                    return "file " + rest;
                }

                public string Instance(string name)
                {
                    Probe.Here("instance");
                    return "instance " + name;
                }

                public static Task<string> StaticAsync() => Task.FromResult("async");
            }
        }

        """;

    /// <summary>Wraps statements in a method that maps endpoints on <c>app</c>.</summary>
    public static string Program(string statements) => GeneratorHarness.Usings + Types + $$"""
        namespace TestApp
        {
            public static class App
            {
                public static void Configure(WebApplication app)
                {
                    {{statements}}
                }
            }
        }
        """;
}
