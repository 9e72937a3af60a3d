using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SyncContext.AspNetCore.Generator.Model;

namespace SyncContext.AspNetCore.Generator.Parsing;

internal static class SettingsReader
{
    public const string InterceptorsNamespace = "SyncContext.Generated";

    public static GeneratorSettings Read(AnalyzerConfigOptions globalOptions, ParseOptions parseOptions)
    {
        // The compiler receives InterceptorsNamespaces (and the older InterceptorsPreviewNamespaces) as features;
        // an interceptor outside them is error CS9137, so the generator checks before it emits one.
        var interceptorsEnabled = parseOptions is CSharpParseOptions csharp
            && (Lists(csharp, "InterceptorsNamespaces") || Lists(csharp, "InterceptorsPreviewNamespaces"));

        var rdgEnabled = globalOptions.TryGetValue("build_property.EnableRequestDelegateGenerator", out var value)
            && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        return new GeneratorSettings(interceptorsEnabled, rdgEnabled);
    }

    private static bool Lists(CSharpParseOptions options, string feature)
    {
        if (!options.Features.TryGetValue(feature, out var namespaces))
        {
            return false;
        }

        foreach (var name in namespaces.Split(';'))
        {
            if (name.Trim() == InterceptorsNamespace)
            {
                return true;
            }
        }

        return false;
    }
}
