using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Routing.Streaming;

namespace SyncContext.AspNetCore.Routing;

/// <summary>What an offloaded handler's result goes through on the worker, before the request writes it.</summary>
internal static class OffloadedResults
{
    /// <summary>
    /// Called on the executor thread right after the user's handler returned, with the request's context.
    /// Lazily produced results (a lazy <c>IEnumerable&lt;T&gt;</c> or <c>IQueryable&lt;T&gt;</c>, an
    /// <c>IAsyncEnumerable&lt;T&gt;</c>, either inside <c>Ok</c>, <c>Json</c> or a <c>Results&lt;...&gt;</c> union, and the
    /// synchronous stream behind <c>Results.Stream</c>/<c>Results.File</c>) are made to produce on the executor here, so
    /// that producing each item, or reading each block, stays off the thread pool. Whether a result declared as
    /// <typeparamref name="TResult"/> may be lazy is decided once per type: for <c>int</c>, <c>string</c>, records or
    /// <c>Ok&lt;Todo&gt;</c> this is one static read; for <see cref="IResult"/>, a type lookup that allocates nothing.
    /// </summary>
    /// <typeparam name="TResult">The handler's declared return type.</typeparam>
    /// <param name="result">What the handler returned.</param>
    /// <param name="httpContext">The request, or <see langword="null"/> when none is current.</param>
    /// <returns>The result the request writes.</returns>
    public static TResult Prepare<TResult>(TResult result, HttpContext? httpContext)
        => LazyResults<TResult>.MayBeLazy ? LazyResults<TResult>.Prepare(result, httpContext) : result;
}
