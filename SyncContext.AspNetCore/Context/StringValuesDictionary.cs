using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace SyncContext.AspNetCore.Context;

/// <summary>
/// A read-only, comma-joined view of ASP.NET Core's headers or query, which both enumerate
/// <see cref="KeyValuePair{TKey, TValue}"/> of <see cref="StringValues"/> and look keys up case-insensitively.
/// </summary>
internal sealed class StringValuesDictionary : IReadOnlyDictionary<string, string?>
{
    private readonly IEnumerable<KeyValuePair<string, StringValues>> _pairs;
    private readonly TryGet _tryGet;
    private readonly Func<int> _count;

    public StringValuesDictionary(IDictionary<string, StringValues> headers)
    {
        _pairs = headers;
        _tryGet = headers.TryGetValue;
        _count = () => headers.Count;
    }

    public StringValuesDictionary(Microsoft.AspNetCore.Http.IQueryCollection query)
    {
        _pairs = query;
        _tryGet = query.TryGetValue;
        _count = () => query.Count;
    }

    private delegate bool TryGet(string key, out StringValues values);

    public int Count => _count();

    public IEnumerable<string> Keys => _pairs.Select(static pair => pair.Key);

    public IEnumerable<string?> Values => _pairs.Select(static pair => pair.Value.ToString());

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"There is no '{key}'.");

    public bool ContainsKey(string key) => _tryGet(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        if (_tryGet(key, out var values))
        {
            value = values.ToString();
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        foreach (var pair in _pairs)
        {
            yield return new KeyValuePair<string, string?>(pair.Key, pair.Value.ToString());
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
