using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>Where a call is, as plain data: a <see cref="Location"/> holds its syntax tree alive and compares by reference.</summary>
internal readonly record struct LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo From(Location location)
        => new(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
