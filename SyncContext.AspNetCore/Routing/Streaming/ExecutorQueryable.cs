using System.Collections;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// An <see cref="IQueryable{T}"/> result (a LINQ provider's query) standing in for itself: enumerated on the executor
/// as <see cref="ExecutorEnumerable{T}"/> is, and still the same query to anything that composes on it.
/// </summary>
/// <remarks>
/// Running the query is its enumeration (<see cref="IEnumerable.GetEnumerator"/> on the provider's query), so that is
/// what moves to the executor. The expression and provider are the inner query's own.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class ExecutorQueryable<T> : ExecutorEnumerable<T>, IOrderedQueryable<T>
{
    private readonly IQueryable<T> _query;

    private ExecutorQueryable(IQueryable<T> query, SyncExecutor executor, HttpContext httpContext)
        : base(query, executor, httpContext)
        => _query = query;

    /// <inheritdoc />
    public Type ElementType => _query.ElementType;

    /// <inheritdoc />
    public Expression Expression => _query.Expression;

    /// <inheritdoc />
    public IQueryProvider Provider => _query.Provider;

    /// <summary>Wraps the query <paramref name="inner"/> and produces its first batch; see <see cref="ExecutorEnumerable{T}.Create"/>.</summary>
    public static new object Create(object inner, SyncExecutor executor, HttpContext httpContext)
        => Start(new ExecutorQueryable<T>((IQueryable<T>)inner, executor, httpContext));
}
