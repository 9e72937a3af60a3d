using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing.Streaming;

/// <summary>
/// The <see cref="IResult"/>s that hold something produced lazily: <c>Ok&lt;T&gt;</c> and <c>JsonHttpResult&lt;T&gt;</c>
/// (<c>Results.Ok</c>, <c>Results.Json</c>) holding a lazy sequence, <see cref="FileStreamHttpResult"/>
/// (<c>Results.Stream</c>, <c>Results.File</c>) over a synchronous stream, and the <c>Results&lt;...&gt;</c> unions
/// holding either. Each is rebuilt, through the same public factory the handler used, around a value that produces
/// on the executor; the result writes as it would have.
/// </summary>
[UnconditionalSuppressMessage("AOT", "IL3050", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2026", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2055", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2060", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2067", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2075", Justification = LazyResults.RebuildPathOnly)]
[UnconditionalSuppressMessage("Trimming", "IL2111", Justification = LazyResults.RebuildPathOnly)]
internal static class LazyHttpResults
{
    private static readonly Type[] s_unions =
        [typeof(Results<,>), typeof(Results<,,>), typeof(Results<,,,>), typeof(Results<,,,,>), typeof(Results<,,,,,>)];

    private static readonly MethodInfo s_ok = typeof(LazyHttpResults).GetMethod(nameof(RewriteOk), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_json = typeof(LazyHttpResults).GetMethod(nameof(RewriteJson), BindingFlags.NonPublic | BindingFlags.Static)!;

    // Per stream type: whether its asynchronous reads are the blocking read run on the thread pool.
    private static readonly ConcurrentDictionary<Type, bool> s_synchronousStreams = new();

    /// <summary>Whether a result declared as <paramref name="declared"/> could hold something lazy.</summary>
    public static bool MayHoldLazy(Type declared)
    {
        if (!typeof(IResult).IsAssignableFrom(declared))
        {
            return false;
        }

        if (declared.IsInterface || declared == typeof(FileStreamHttpResult))
        {
            return true;
        }

        if (!declared.IsGenericType)
        {
            return false;
        }

        var definition = declared.GetGenericTypeDefinition();
        return definition == typeof(Ok<>) || definition == typeof(JsonHttpResult<>)
            ? LazyResults.IsSequenceSlot(declared.GenericTypeArguments[0])
            : Array.IndexOf(s_unions, definition) >= 0 && declared.GenericTypeArguments.Any(MayHoldLazy);
    }

    /// <summary>
    /// How to rewrite a result of runtime type <paramref name="type"/> held as <paramref name="declared"/>, or
    /// <see langword="null"/> for one that holds nothing lazy.
    /// </summary>
    /// <remarks>
    /// <c>Results.Ok(value)</c> is generic, so a lazy value of a concrete type (a hand-written sequence class) makes an
    /// <c>Ok&lt;ThatClass&gt;</c>, which cannot hold the stand-in. Where the handler declared <see cref="IResult"/>, the
    /// result is rebuilt as <c>Ok&lt;object&gt;</c> instead: it writes the value by its runtime type, as the original
    /// did, so the bytes are the same.
    /// </remarks>
    public static LazyResults.Rewrite? RewriteFor(Type declared, Type type)
    {
        if (type == typeof(FileStreamHttpResult))
        {
            return RewriteStream;
        }

        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Ok<>) || definition == typeof(JsonHttpResult<>))
        {
            var value = type.GenericTypeArguments[0];
            var slot = value;
            if (!LazyResults.IsSequenceSlot(value))
            {
                if (value.IsValueType || value == typeof(string) || !declared.IsAssignableFrom(definition.MakeGenericType(typeof(object))))
                {
                    return null;
                }

                slot = typeof(object);
            }

            return (definition == typeof(Ok<>) ? s_ok : s_json).MakeGenericMethod(value, slot).CreateDelegate<LazyResults.Rewrite>();
        }

        return MayHoldLazy(type) ? Union(type) : null;
    }

    private static object RewriteOk<T, TSlot>(object result, SyncExecutor executor, HttpContext httpContext)
    {
        var ok = (Ok<T>)result;
        if (ok.Value is not object value)
        {
            return result;
        }

        var rewritten = LazyResults.Rewritten(typeof(TSlot), value, executor, httpContext);
        return ReferenceEquals(rewritten, value) ? result : TypedResults.Ok((TSlot)rewritten);
    }

    private static object RewriteJson<T, TSlot>(object result, SyncExecutor executor, HttpContext httpContext)
    {
        var json = (JsonHttpResult<T>)result;

        // A result made with a JsonTypeInfo (a source-generated context) writes with that contract alone, which may not
        // know the stand-in's type: it stays as it is.
        if (json.Value is not object value || JsonTypeInfoOf<T>.Read(json) is not null)
        {
            return result;
        }

        var rewritten = LazyResults.Rewritten(typeof(TSlot), value, executor, httpContext);
        return ReferenceEquals(rewritten, value)
            ? result
            : TypedResults.Json((TSlot)rewritten, json.JsonSerializerOptions, json.ContentType, json.StatusCode);
    }

    private static object RewriteStream(object result, SyncExecutor executor, HttpContext httpContext)
    {
        var file = (FileStreamHttpResult)result;
        if (file.FileStream is ExecutorReadStream || !s_synchronousStreams.GetOrAdd(file.FileStream.GetType(), ReadsOnThePool))
        {
            return result;
        }

        // The stand-in reports the same length and seeks the same way, so the rebuilt result computes the same
        // Content-Length and answers ranges as the original would have.
        return TypedResults.Stream(
            new ExecutorReadStream(file.FileStream, executor),
            file.ContentType,
            file.FileDownloadName,
            file.LastModified,
            file.EntityTag,
            file.EnableRangeProcessing);
    }

    private static LazyResults.Rewrite Union(Type union)
    {
        var conversions = union.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(method => method.Name == "op_Implicit" && method.ReturnType == union)
            .ToArray();

        return (result, executor, httpContext) =>
        {
            var inner = ((INestedHttpResult)result).Result;
            var rewritten = LazyResults.Rewritten(inner.GetType(), inner, executor, httpContext);
            if (ReferenceEquals(rewritten, inner))
            {
                return result;
            }

            var conversion = conversions.First(method => method.GetParameters()[0].ParameterType.IsAssignableFrom(rewritten.GetType()));
            return conversion.Invoke(null, [rewritten])!;
        };
    }

    /// <summary>
    /// Whether reading a stream of type <paramref name="type"/> asynchronously blocks a pool thread: a file or memory
    /// stream, or a stream that implements only the synchronous reads (<see cref="System.IO.Stream"/>'s own
    /// asynchronous ones run them on the pool). A stream with asynchronous reads of its own is left alone.
    /// </summary>
    private static bool ReadsOnThePool(Type type)
    {
        if (typeof(FileStream).IsAssignableFrom(type) || typeof(MemoryStream).IsAssignableFrom(type) || typeof(UnmanagedMemoryStream).IsAssignableFrom(type))
        {
            return true;
        }

        return DeclaredByStream(nameof(System.IO.Stream.ReadAsync), typeof(Memory<byte>), typeof(CancellationToken))
            && DeclaredByStream(nameof(System.IO.Stream.ReadAsync), typeof(byte[]), typeof(int), typeof(int), typeof(CancellationToken))
            && DeclaredByStream(nameof(System.IO.Stream.BeginRead), typeof(byte[]), typeof(int), typeof(int), typeof(AsyncCallback), typeof(object));

        bool DeclaredByStream(string name, params Type[] parameters)
            => type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)?.DeclaringType == typeof(Stream);
    }

    /// <summary>Reads <c>JsonHttpResult&lt;T&gt;</c>'s internal <c>JsonTypeInfo</c>, set when the result was made with one.</summary>
    private static class JsonTypeInfoOf<T>
    {
        private static readonly PropertyInfo? s_property = typeof(JsonHttpResult<T>).GetProperty("JsonTypeInfo", BindingFlags.NonPublic | BindingFlags.Instance);

        public static object? Read(JsonHttpResult<T> result) => s_property?.GetValue(result);
    }
}
