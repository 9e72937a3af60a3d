using System.Text.RegularExpressions;

namespace SyncContext.Tests.Generator;

/// <summary>
/// A small approval check: generated source must equal <c>Snapshots/{name}.verified.cs</c>. On a difference,
/// or when no approved file exists, the actual text is written beside it as <c>{name}.received.cs</c> and the
/// test fails; approve by renaming it.
/// </summary>
internal static partial class Snapshot
{
    public static void Match(string? actual, string name, string? folder = null)
    {
        actual.ShouldNotBeNull("The generator produced no source.");
        var scrubbed = Scrub(actual);
        folder ??= Folder();
        var verified = Path.Combine(folder, name + ".verified.cs");
        var received = Path.Combine(folder, name + ".received.cs");

        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == scrubbed)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(received, scrubbed);
        throw new Xunit.Sdk.XunitException(expected is null
            ? $"No approved snapshot '{verified}'. Review '{received}' and rename it to approve."
            : $"Generated source differs from '{verified}'. See '{received}'.");
    }

    /// <summary>
    /// The snapshots' folder in the source tree, found from the test assembly (bin/{configuration}/{tfm} inside the
    /// test project) rather than from [CallerFilePath], which a CI build maps to "/_/".
    /// </summary>
    private static string Folder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var folder = Path.Combine(directory.FullName, "Generator", "Snapshots");
            if (Directory.Exists(folder))
            {
                return folder;
            }
        }

        throw new DirectoryNotFoundException($"No Generator/Snapshots folder above '{AppContext.BaseDirectory}'.");
    }

    /// <summary>Replaces what changes with the machine or the build: the location checksums and the version.</summary>
    public static string Scrub(string source)
    {
        var text = LocationData().Replace(source.ReplaceLineEndings("\n"), "InterceptsLocation(1, \"{location}\")");
        return GeneratedCodeVersion().Replace(text, "GeneratedCode(\"SyncContext.AspNetCore.Generator\", \"{version}\")");
    }

    [GeneratedRegex("""InterceptsLocation\(1, "[^"]*"\)""")]
    private static partial Regex LocationData();

    [GeneratedRegex("""GeneratedCode\("SyncContext.AspNetCore.Generator", "[^"]*"\)""")]
    private static partial Regex GeneratedCodeVersion();
}
