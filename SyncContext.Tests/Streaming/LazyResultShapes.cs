using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.Tests.Routing;

namespace SyncContext.Tests.Streaming;

/// <summary>An item of the test sequences: its number, and where and for which request it was produced.</summary>
internal sealed record Tea(int Id, string Name);

/// <summary>
/// The lazy results beyond a bare <c>IEnumerable&lt;T&gt;</c>: a lazy sequence inside <c>Ok</c>, <c>Json</c> and a
/// <c>Results&lt;...&gt;</c> union, an <c>IQueryable&lt;T&gt;</c>, and async sequences made by sync code, each returned by
/// a sync handler over the same source of items.
/// </summary>
internal static class LazyResultShapes
{
    public static readonly string[] Names =
        ["ok", "typed-ok", "json", "typed-json", "union", "queryable", "ok-queryable", "async", "blocking-async", "ok-async", "typed-ok-async"];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }

        return data;
    }

    /// <summary>A sync handler of shape <paramref name="shape"/> whose items come from <paramref name="items"/>.</summary>
    public static Delegate Handler(string shape, Func<IEnumerable<Tea>> items) => shape switch
    {
        "ok" => IResult () => Results.Ok(items()),
        "typed-ok" => () => TypedResults.Ok(items()),
        "json" => IResult () => Results.Json(items(), statusCode: 201),
        "typed-json" => () => TypedResults.Json(items(), contentType: "application/vnd.tea+json"),
        "union" => Results<Ok<IEnumerable<Tea>>, NotFound> (int? id) => id == 0 ? TypedResults.NotFound() : TypedResults.Ok(items()),
        "queryable" => IQueryable<Tea> () => items().AsQueryable().Where(static tea => tea.Id >= 0),
        "ok-queryable" => IResult () => Results.Ok(items().AsQueryable()),
        "async" => IAsyncEnumerable<Tea> () => items().ToAsyncEnumerable(),
        "blocking-async" => IAsyncEnumerable<Tea> () => new BlockingAsyncSequence<Tea>(items()),
        "ok-async" => IResult () => Results.Ok(new BlockingAsyncSequence<Tea>(items())),
        "typed-ok-async" => () => TypedResults.Ok(items().ToAsyncEnumerable()),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    /// <summary>Maps every shape at <c>/{shape}</c>, each producing <paramref name="count"/> items that say where they were made.</summary>
    public static void MapAll(WebApplication app, OffloadMode mode, int count)
    {
        var accessor = app.Services.GetService<IHttpContextAccessor>();
        var map = new OffloadMapper(app, mode);
        foreach (var shape in Names)
        {
            map.MapGet("/" + shape, Handler(shape, () => Enumerable.Range(0, count).Select(i => new Tea(i, Where(accessor)))));
        }
    }

    /// <summary>The producing thread and the request path its context sees, as <c>thread|path</c>.</summary>
    public static string Where(IHttpContextAccessor? accessor)
        => $"{Thread.CurrentThread.Name ?? "pool"}|{accessor?.HttpContext?.Request.Path.Value ?? "none"}";
}

/// <summary>An async sequence that is sync code inside: each <c>MoveNextAsync</c> blocks in the inner <c>MoveNext</c>.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class BlockingAsyncSequence<T>(IEnumerable<T> inner) : IAsyncEnumerable<T>
{
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(inner.GetEnumerator());

    private sealed class Enumerator(IEnumerator<T> inner) : IAsyncEnumerator<T>
    {
        public T Current => inner.Current;

        public ValueTask<bool> MoveNextAsync() => new(inner.MoveNext());

        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return default;
        }
    }
}
