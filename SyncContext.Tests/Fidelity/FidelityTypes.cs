namespace SyncContext.Tests.Fidelity;

/// <summary>The types the shapes' handlers bind and return, compiled into every app.</summary>
internal static class FidelityTypes
{
    public const string Source = """
        namespace Fidelity
        {
            public enum Color { Red, Green, Blue }

            public sealed record Todo(int Id, string Title);

            public sealed class TodoClass
            {
                public int Id { get; set; }
                public string? Title { get; set; }
                public bool Done { get; set; }
            }

            public record struct PointStruct(int X, int Y);

            public struct BodyStruct
            {
                public int X { get; set; }
                public string? Label { get; set; }
            }

            public sealed record Nested(Todo Inner, int[] Tags, Dictionary<string, int>? Counts);

            public sealed class RequiredTodo
            {
                public required int Id { get; init; }
                public required string Title { get; init; }
            }

            public sealed record WithEnum(Color Color, DateTime? When, Guid? Id);

            public sealed record Slug(string Value)
            {
                public static bool TryParse(string? text, out Slug? slug)
                {
                    slug = !string.IsNullOrEmpty(text) && text.All(char.IsAsciiLetterLower) ? new Slug(text) : null;
                    return slug is not null;
                }
            }

            public readonly record struct Celsius(double Degrees)
            {
                public static bool TryParse(string? text, IFormatProvider? provider, out Celsius celsius)
                {
                    celsius = default;
                    if (text is null || !text.EndsWith('C') || !double.TryParse(text[..^1], NumberStyles.Float, provider, out var degrees))
                    {
                        return false;
                    }

                    celsius = new Celsius(degrees);
                    return true;
                }
            }

            public sealed class PageRequest
            {
                public int Page { get; init; }

                public static ValueTask<PageRequest?> BindAsync(HttpContext context)
                    => ValueTask.FromResult(int.TryParse(context.Request.Query["page"], out var page) ? new PageRequest { Page = page } : null);
            }

            public sealed class Tagged
            {
                public string Text { get; init; } = "";

                public static ValueTask<Tagged?> BindAsync(HttpContext context, ParameterInfo parameter)
                    => ValueTask.FromResult(context.Request.Headers.TryGetValue("X-Tag", out var tag) ? new Tagged { Text = parameter.Name + "=" + tag } : null);
            }

            public struct TokenStruct
            {
                public string Value { get; init; }

                public static ValueTask<TokenStruct?> BindAsync(HttpContext context)
                    => ValueTask.FromResult<TokenStruct?>(context.Request.Headers.TryGetValue("X-Token", out var token) ? new TokenStruct { Value = token.ToString() } : null);
            }

            public sealed class Exploding
            {
                public static ValueTask<Exploding?> BindAsync(HttpContext context)
                    => context.Request.Query.ContainsKey("boom") ? throw new InvalidOperationException("binder exploded") : ValueTask.FromResult<Exploding?>(new Exploding());
            }

            public sealed class Bindable : IBindableFromHttpContext<Bindable>
            {
                public string Text { get; init; } = "";

                public static ValueTask<Bindable?> BindAsync(HttpContext context, ParameterInfo parameter)
                    => ValueTask.FromResult(context.Request.Query.TryGetValue("b", out var b) ? new Bindable { Text = b.ToString() } : null);
            }

            public sealed class QueryArgs
            {
                [FromQuery] public int Page { get; set; }
                [FromQuery] public int? Size { get; set; }
                [FromHeader(Name = "X-Tenant")] public string? Tenant { get; set; }
            }

            public sealed record RouteArgs(int Id, [FromQuery] string? Sort);

            public record struct StructArgs(int Page, int Size);

            public sealed class BodyArgs
            {
                [FromRoute] public int Id { get; set; }
                [FromBody] public Todo Todo { get; set; } = null!;
            }

            public sealed record ServiceArgs(IGreeter Greeter, HttpContext Context, CancellationToken Token);

            public sealed record FormArgs([FromForm] string Name, IFormFile? File);

            public sealed record DefaultArgs(int Page = 1, string Sort = "asc");

            public sealed record BindArgs(PageRequest? Paging, Slug? Slug, [FromHeader(Name = "X-Tenant")] string Tenant);

            public sealed class Order
            {
                public string? Name { get; set; }
                public int Quantity { get; set; }
                public List<string> Tags { get; set; } = [];
            }

            public interface IGreeter
            {
                string Greet(string name);
            }

            public sealed class Greeter : IGreeter
            {
                public string Greet(string name) => "Hello " + name;
            }

            public sealed class FormalGreeter : IGreeter
            {
                public string Greet(string name) => "Good day, " + name;
            }

            public interface IUnregistered
            {
            }

            public sealed class ScopedCounter
            {
                public int Count { get; set; }
            }

            public sealed class FidelityOptions
            {
                public string Motto { get; set; } = "";
            }

            public static class Services
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddSingleton<IGreeter, Greeter>();
                    services.AddKeyedSingleton<IGreeter, FormalGreeter>("formal");
                    services.AddKeyedSingleton<IGreeter, Greeter>("plain");
                    services.AddScoped<ScopedCounter>();
                    services.Configure<FidelityOptions>(options => options.Motto = "same bytes");
                }
            }

            public static class Lazy
            {
                public static IEnumerable<int> Select(int count) => Enumerable.Range(0, count).Select(i => P.Item(i));

                public static IEnumerable<Todo> Yield(int count)
                {
                    for (var i = 0; i < count; i++)
                    {
                        yield return P.Item(new Todo(i, "item " + i));
                    }
                }

                public static IEnumerable<int> ThrowAfter(int count)
                {
                    for (var i = 0; i < count; i++)
                    {
                        yield return P.Item(i);
                    }

                    throw new InvalidOperationException("lazy sequence failed");
                }

                public static async IAsyncEnumerable<int> Stream(int count)
                {
                    await Task.CompletedTask;
                    for (var i = 0; i < count; i++)
                    {
                        yield return P.Item(i);
                    }
                }

                public static async IAsyncEnumerable<Todo> StreamThrowAfter(int count)
                {
                    await Task.CompletedTask;
                    for (var i = 0; i < count; i++)
                    {
                        yield return P.Item(new Todo(i, "streamed"));
                    }

                    throw new InvalidOperationException("stream failed");
                }
            }

            public sealed class Handlers
            {
                public static string Static(int id) => P.T("static " + id);

                public static Todo StaticTodo([FromBody] Todo todo) => P.T(todo with { Title = todo.Title + "!" });

                public static IResult StaticResult(int? id) => P.T(id is null ? Results.NotFound() : Results.Ok(id));

                public static void StaticVoid(HttpContext context) { P.Here(); context.Response.StatusCode = 204; }

                public string Instance(string name) => P.T("instance " + name);
            }
        }

        """;
}
