using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>
/// Where a call is, as plain data: a <see cref="Location"/> holds its syntax tree alive and compares by reference.
/// Turned back into a location in the compilation's own tree when reported, so that <c>#pragma warning disable</c>
/// and <c>.editorconfig</c> severities apply to it.
/// </summary>
internal readonly record struct LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo From(Location location)
        => new(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    /// <summary>The location in the tree of <paramref name="trees"/> with this path; outside any tree if none has it.</summary>
    public Location ToLocation(IReadOnlyDictionary<string, SyntaxTree> trees)
        => trees.TryGetValue(FilePath, out var tree) && Span.End <= tree.Length
            ? Location.Create(tree, Span)
            : Location.Create(FilePath, Span, LineSpan);
}
