using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using SyncContext.AspNetCore.Analyzers;
using SyncContext.AspNetCore.CodeFixes;

namespace SyncContext.Analyzers.Tests.Blocking;

/// <summary>
/// Roslyn's analyzer and code-fix test framework, set up against the shared frameworks this test host runs on
/// (so nothing is downloaded) and SyncContext.Abstractions. Expected diagnostics are marked in the source:
/// <c>{|SYNCCTX100:Thread.Sleep(1)|}</c>.
/// </summary>
internal static class Verify
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Data.Common;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;
        using SyncContext;

        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>Checks that <paramref name="source"/> (after <see cref="Usings"/>) reports exactly the marked diagnostics.</summary>
    public static Task AnalyzerAsync(string source)
    {
        var test = new Test { TestCode = Usings + source };
        return test.RunAsync();
    }

    /// <summary>Applies the fix with <paramref name="equivalenceKey"/> and checks the result.</summary>
    public static Task CodeFixAsync(string source, string fixedSource, string equivalenceKey)
    {
        var test = new Test
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        return test.RunAsync();
    }

    /// <summary>Checks that no fix with <paramref name="equivalenceKey"/> is offered for the marked diagnostics.</summary>
    public static Task NoCodeFixAsync(string source, string equivalenceKey)
    {
        var test = new Test
        {
            TestCode = Usings + source,
            FixedCode = Usings + source,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        return test.RunAsync();
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is var name
                && (name.StartsWith("System.", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                    || name is "Microsoft.Net.Http.Headers.dll" or "Microsoft.Win32.Primitives.dll" or "mscorlib.dll" or "netstandard.dll"))
            .Append(typeof(IRunSync).Assembly.Location)
            .DistinctBy(Path.GetFileName);
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    internal sealed class Test : CSharpCodeFixTest<BlockingCallAnalyzer, BlockingCallCodeFixProvider, DefaultVerifier>
    {
        public Test()
        {
            // No reference-assembly package: the host's own framework files instead, added below.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(s_references.Value);
            FixedState.AdditionalReferences.AddRange(s_references.Value);
        }
    }
}
