using Microsoft.CodeAnalysis;
using SyncContext.AspNetCore.Generator.Parsing;

namespace SyncContext.Tests.Generator;

/// <summary>The parsers' type test compares namespaces part by part, without display strings: it must match exactly.</summary>
public class SymbolExtensionsTests
{
    private const string Source = """
        namespace System.Threading.Tasks.Fake { public class Task { } }
        namespace Outer.System.Threading.Tasks { public class Task { } }
        namespace MySystem.Threading.Tasks { public class Task { } }
        namespace Tasks { public class Task { } }
        public class Task { }
        """;

    [Theory]
    [InlineData("System.Threading.Tasks.Task", true)]
    [InlineData("System.Threading.Tasks.Fake.Task", false)]
    [InlineData("Outer.System.Threading.Tasks.Task", false)]
    [InlineData("MySystem.Threading.Tasks.Task", false)]
    [InlineData("Tasks.Task", false)]
    [InlineData("Task", false)]
    public void IsType_matches_the_whole_namespace_only(string metadataName, bool expected)
    {
        var compilation = GeneratorHarness.Compile(Source);
        var type = compilation.GetTypeByMetadataName(metadataName).ShouldNotBeNull();

        type.IsType("Task", "System.Threading.Tasks").ShouldBe(expected);
    }

    [Fact]
    public void IsNamespace_is_false_for_the_global_namespace_and_null()
    {
        var compilation = GeneratorHarness.Compile(Source);

        compilation.GlobalNamespace.IsNamespace("System").ShouldBeFalse();
        compilation.GlobalNamespace.IsNamespace(string.Empty).ShouldBeFalse();
        ((INamespaceSymbol?)null).IsNamespace("System").ShouldBeFalse();
    }
}
