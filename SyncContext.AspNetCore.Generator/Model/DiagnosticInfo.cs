using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>A diagnostic to report, as equatable data; created into a <see cref="Diagnostic"/> only when reported.</summary>
internal readonly record struct DiagnosticInfo(string Id, LocationInfo Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments)
        => new(descriptor.Id, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic()
    {
        var arguments = new object[Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Arguments[i];
        }

        return Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location.ToLocation(), arguments);
    }
}
