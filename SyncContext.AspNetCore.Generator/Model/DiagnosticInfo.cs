using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>A diagnostic to report, as equatable data; created into a <see cref="Diagnostic"/> only when reported.</summary>
internal readonly record struct DiagnosticInfo(string Id, LocationInfo Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments)
        => new(descriptor.Id, location, arguments.ToEquatableArray());

    /// <summary>The diagnostic, located in the matching tree of <paramref name="trees"/> (the compilation's, by path).</summary>
    public Diagnostic ToDiagnostic(IReadOnlyDictionary<string, SyntaxTree> trees)
    {
        var arguments = new object[Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location.ToLocation(trees), arguments);
    }
}
