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
/// Decides whether a handler's result is a lazy sequence to enumerate on the executor, and wraps it if so.
/// </summary>
/// <remarks>
/// Only a result declared as <see cref="IEnumerable{T}"/>, <see cref="IEnumerable"/> or <see cref="object"/> can be
/// replaced by the wrapper (that is decided once per declared type, in <see cref="LazyResults{TResult}"/>); of
/// those, only a value whose runtime type is not a materialized collection is, decided once per runtime type here.
/// </remarks>
internal static class LazyResults
{
    // Per runtime type: how to wrap it, or null to leave it as it is.
    private static readonly ConcurrentDictionary<Type, Func<object, SyncExecutor, HttpContext, object>?> s_wrappers = new();

    private static readonly MethodInfo s_create = typeof(ExecutorEnumerable<>).GetMethod(nameof(ExecutorEnumerable<>.Create))!;

    /// <summary>Whether a value declared as <paramref name="declared"/> could be a lazy sequence the wrapper can stand in for.</summary>
    public static bool MayBeLazy(Type declared)
        => declared == typeof(object)
        || declared == typeof(IEnumerable)
        || (declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(IEnumerable<>));

    /// <summary>Wraps <paramref name="result"/> when it is a lazy sequence and the request can reach the executor.</summary>
    public static object? Prepare(Type declared, object? result, HttpContext? httpContext)
    {
        if (result is null || httpContext is null || !RuntimeFeature.IsDynamicCodeSupported)
        {
            return result;
        }

        var wrap = s_wrappers.GetOrAdd(result.GetType(), static (type, declared) => WrapperFor(type, declared), declared);
        if (wrap is null || httpContext.RequestServices?.GetService<SyncExecutor>() is not { } executor)
        {
            return result;
        }

        return wrap(result, executor, httpContext);
    }

    /// <summary>How to wrap a value of runtime type <paramref name="type"/>, or <see langword="null"/> when it is not lazy.</summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only where dynamic code is supported: Prepare returns first otherwise.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification =
        "The sequence interfaces of a type that was instantiated are kept when they are used, and IEnumerable<T> is: ASP.NET Core's writer enumerates through it.")]
    private static Func<object, SyncExecutor, HttpContext, object>? WrapperFor(Type type, Type declared)
    {
        if (type.IsArray || type == typeof(string) || type.IsValueType || typeof(IResult).IsAssignableFrom(type)
            || typeof(ICollection).IsAssignableFrom(type) || type.IsDefined(typeof(JsonConverterAttribute), inherit: true))
        {
            return null;
        }

        Type[] sequences = [.. type.GetInterfaces().Where(static i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))];
        if (sequences.Length != 1 || type.GetInterfaces().Any(IsMaterializedOrAsync))
        {
            return null;
        }

        var wrapperType = typeof(ExecutorEnumerable<>).MakeGenericType(sequences[0].GenericTypeArguments);
        if (!declared.IsAssignableFrom(wrapperType))
        {
            return null;
        }

        var create = (MethodInfo)wrapperType.GetMemberWithSameMetadataDefinitionAs(s_create);
        return create.CreateDelegate<Func<object, SyncExecutor, HttpContext, object>>();

        static bool IsMaterializedOrAsync(Type i)
            => i.IsGenericType && i.GetGenericTypeDefinition() is var d
            && (d == typeof(ICollection<>) || d == typeof(IReadOnlyCollection<>) || d == typeof(IAsyncEnumerable<>));
    }
}

/// <summary>What <see cref="LazyResults"/> does for results declared as <typeparamref name="TResult"/>, decided once.</summary>
/// <typeparam name="TResult">The handler's declared return type.</typeparam>
internal static class LazyResults<TResult>
{
    /// <summary>Whether a <typeparamref name="TResult"/> can ever be a lazy sequence; when not, results cost one static read.</summary>
    public static readonly bool MayBeLazy = LazyResults.MayBeLazy(typeof(TResult));

    /// <summary>The result, or the wrapper that enumerates it on the executor.</summary>
    public static TResult Prepare(TResult result, HttpContext? httpContext)
        => (TResult)LazyResults.Prepare(typeof(TResult), result, httpContext)!;
}
