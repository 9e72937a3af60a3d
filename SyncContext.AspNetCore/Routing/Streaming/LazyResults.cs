using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// Decides whether a handler's result is produced lazily (a lazy sequence, a query, an async sequence, or an
/// <see cref="IResult"/> holding one or a synchronous stream), and makes it produce on the executor if so.
/// </summary>
/// <remarks>
/// Whether a result declared as some type can ever be lazy is decided once per declared type, in
/// <see cref="LazyResults{TResult}"/>: for <c>int</c>, records or <c>Ok&lt;Todo&gt;</c> nothing else happens. For the
/// rest, what to do with a value is decided once per declared and runtime type here, so a result that is not lazy
/// costs a type lookup and allocates nothing.
/// </remarks>
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2055", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2060", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = LazyResults.RebuildPathOnly)]
internal static class LazyResults
{
    /// <summary>Why the reflection here is safe: see <see cref="OffloadMode"/>.</summary>
    internal const string RebuildPathOnly =
        "Reached only on the path that rebuilds request delegates (OffloadMode.RebuildsRequestDelegates), which the package's build "
        + "files switch off, and the trimmer removes, whenever ASP.NET Core's Request Delegate Generator is on (PublishAot, "
        + "PublishTrimmed). There the endpoint's own delegate runs on the executor and writes lazy results there.";

    // Per declared and runtime type: how to make the value produce on the executor, or null to leave it as it is.
    private static readonly ConcurrentDictionary<(Type Declared, Type Runtime), Rewrite?> s_rewrites = new();

    private static readonly MethodInfo s_createEnumerable = typeof(ExecutorEnumerable<>).GetMethod(nameof(ExecutorEnumerable<>.Create))!;
    private static readonly MethodInfo s_createQueryable = typeof(ExecutorQueryable<>).GetMethod(nameof(ExecutorQueryable<>.Create))!;
    private static readonly MethodInfo s_createAsync = typeof(ExecutorAsyncEnumerable<>).GetMethod(nameof(ExecutorAsyncEnumerable<>.Create))!;

    /// <summary>Makes <paramref name="value"/> produce on <paramref name="executor"/>; the same value, or one that stands in for it.</summary>
    internal delegate object Rewrite(object value, SyncExecutor executor, HttpContext httpContext);

    /// <summary>Whether a value declared as <paramref name="declared"/> could be lazy, or hold something lazy.</summary>
    public static bool MayBeLazy(Type declared)
        => IsSequenceSlot(declared) || LazyHttpResults.MayHoldLazy(declared);

    /// <summary>Rewrites <paramref name="result"/> when it is lazy and the request can reach the executor.</summary>
    public static object? Prepare(Type declared, object? result, HttpContext? httpContext)
    {
        if (result is null || httpContext is null || !OffloadMode.RebuildsRequestDelegates)
        {
            return result;
        }

        var rewrite = RewriteFor(declared, result.GetType());
        if (rewrite is null || (SyncExecutor.OfCurrentItem ?? httpContext.RequestServices?.GetService<SyncExecutor>()) is not { } executor)
        {
            return result;
        }

        return rewrite(result, executor, httpContext);
    }

    /// <summary>A value held by a result (declared there as <paramref name="declared"/>), rewritten as <see cref="Prepare"/> would.</summary>
    internal static object Rewritten(Type declared, object value, SyncExecutor executor, HttpContext httpContext)
        => RewriteFor(declared, value.GetType()) is { } rewrite ? rewrite(value, executor, httpContext) : value;

    /// <summary>Whether a slot of type <paramref name="declared"/> could hold a lazy sequence.</summary>
    internal static bool IsSequenceSlot(Type declared)
        => declared == typeof(object)
        || declared == typeof(IEnumerable)
        || declared == typeof(IQueryable)
        || declared == typeof(IOrderedQueryable)
        || (declared.IsGenericType && declared.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IEnumerable<>) || definition == typeof(IAsyncEnumerable<>)
                || definition == typeof(IQueryable<>) || definition == typeof(IOrderedQueryable<>)));

    private static Rewrite? RewriteFor(Type declared, Type runtime)
        => s_rewrites.GetOrAdd((declared, runtime), static key => Decide(key.Declared, key.Runtime));

    /// <summary>How to rewrite a value of runtime type <paramref name="type"/> held as <paramref name="declared"/>, or <see langword="null"/>.</summary>
    private static Rewrite? Decide(Type declared, Type type)
    {
        if (typeof(IResult).IsAssignableFrom(type))
        {
            // A rewritten result has the type it had (or one its declared type also holds, see LazyHttpResults).
            return LazyHttpResults.RewriteFor(declared, type);
        }

        if (type.IsArray || type == typeof(string) || type.IsValueType || typeof(ICollection).IsAssignableFrom(type)
            || type.IsDefined(typeof(JsonConverterAttribute), inherit: true))
        {
            return null;
        }

        var interfaces = type.GetInterfaces();
        Type[] asyncSequences = [.. interfaces.Where(static i => IsGeneric(i, typeof(IAsyncEnumerable<>)))];
        if (asyncSequences.Length > 0)
        {
            // The serializer enumerates a type that is both asynchronously (an EF query, say), so that is what moves.
            return asyncSequences.Length == 1 ? Creator(s_createAsync, asyncSequences[0].GenericTypeArguments[0], declared) : null;
        }

        Type[] sequences = [.. interfaces.Where(static i => IsGeneric(i, typeof(IEnumerable<>)))];
        if (sequences.Length != 1 || interfaces.Any(static i => IsGeneric(i, typeof(ICollection<>)) || IsGeneric(i, typeof(IReadOnlyCollection<>))))
        {
            return null;
        }

        var element = sequences[0].GenericTypeArguments[0];
        var queryable = interfaces.Contains(typeof(IQueryable<>).MakeGenericType(element));
        return Creator(queryable ? s_createQueryable : s_createEnumerable, element, declared);

        static bool IsGeneric(Type i, Type definition) => i.IsGenericType && i.GetGenericTypeDefinition() == definition;
    }

    /// <summary>The <c>Create</c> of a wrapper for <paramref name="element"/>, when the wrapper fits where the value was declared.</summary>
    private static Rewrite? Creator(MethodInfo openCreate, Type element, Type declared)
    {
        var wrapperType = openCreate.DeclaringType!.MakeGenericType(element);
        if (!declared.IsAssignableFrom(wrapperType))
        {
            return null;
        }

        var create = (MethodInfo)wrapperType.GetMemberWithSameMetadataDefinitionAs(openCreate);
        return create.CreateDelegate<Rewrite>();
    }
}

/// <summary>What <see cref="LazyResults"/> does for results declared as <typeparamref name="TResult"/>, decided once.</summary>
/// <typeparam name="TResult">The handler's declared return type.</typeparam>
internal static class LazyResults<TResult>
{
    /// <summary>Whether a <typeparamref name="TResult"/> can ever be lazy; when not, results cost one static read.</summary>
    public static readonly bool MayBeLazy = LazyResults.MayBeLazy(typeof(TResult));

    /// <summary>The result, or the one that produces it on the executor.</summary>
    public static TResult Prepare(TResult result, HttpContext? httpContext)
        => (TResult)LazyResults.Prepare(typeof(TResult), result, httpContext)!;
}
