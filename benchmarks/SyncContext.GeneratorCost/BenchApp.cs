using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SyncContext.GeneratorCost;

/// <summary>
/// The app of benchmarks/generator-cost.sh: <c>dotnet new web</c> with 500 synchronous endpoints in five shapes, compiled
/// against the SDK's reference packs (as csc compiles it) plus SyncContext.AspNetCore.
/// </summary>
internal static class BenchApp
{
    /// <summary>The web SDK's implicit usings, as its GlobalUsings.g.cs declares them.</summary>
    private const string GlobalUsings = """
        global using global::Microsoft.AspNetCore.Builder;
        global using global::Microsoft.AspNetCore.Hosting;
        global using global::Microsoft.AspNetCore.Http;
        global using global::Microsoft.AspNetCore.Routing;
        global using global::Microsoft.Extensions.Configuration;
        global using global::Microsoft.Extensions.DependencyInjection;
        global using global::Microsoft.Extensions.Hosting;
        global using global::Microsoft.Extensions.Logging;
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Net.Http.Json;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>The same Program.cs as generator-cost.sh writes.</summary>
    public static string ProgramSource(int endpoints)
    {
        var text = new StringBuilder();
        text.AppendLine("using Microsoft.AspNetCore.Http.HttpResults;");
        text.AppendLine("var builder = WebApplication.CreateBuilder(args);");
        text.AppendLine("builder.Services.AddSyncContext();");
        text.AppendLine("var app = builder.Build();");
        text.AppendLine("var api = app.MapGroup(\"/api\");");
        for (var i = 0; i < endpoints; i++)
        {
            text.AppendLine((i % 5) switch
            {
                0 => $"app.MapGet(\"/e{i}\", () => \"e{i}\");",
                1 => $"app.MapGet(\"/e{i}/{{id:int}}\", (int id) => id + {i});",
                2 => $"api.MapPost(\"/e{i}\", (Todo todo) => todo with {{ Id = {i} }});",
                3 => $"api.MapGet(\"/e{i}\", (HttpContext context, string? q) => context.TraceIdentifier + q);",
                _ => $"app.MapGet(\"/e{i}/{{id:int}}\", Results<Ok<Todo>, NotFound> (int id) => id == {i} ? TypedResults.Ok(new Todo(id, \"t\")) : TypedResults.NotFound());",
            });
        }

        text.AppendLine("app.Run();");
        text.AppendLine("record Todo(int Id, string Title);");
        return text.ToString();
    }

    /// <summary>Parse options with the interceptor namespaces the build passes for one generator.</summary>
    public static CSharpParseOptions ParseOptions(string interceptorsNamespace)
        => CSharpParseOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithFeatures([new("InterceptorsNamespaces", interceptorsNamespace)]);

    public static ImmutableArray<SyntaxTree> Parse(string program, CSharpParseOptions options)
        =>
        [
            CSharpSyntaxTree.ParseText(program, options, path: "/app/Program.cs", encoding: Encoding.UTF8),
            CSharpSyntaxTree.ParseText(GlobalUsings, options, path: "/app/obj/Bench500.GlobalUsings.g.cs", encoding: Encoding.UTF8),
        ];

    /// <summary>A new compilation, as each build makes one (the compiler server keeps the metadata, as <paramref name="references"/> is kept here).</summary>
    public static CSharpCompilation Compile(ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references)
        => CSharpCompilation.Create(
            "Bench500",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));

    /// <summary>The reference assemblies of Microsoft.NETCore.App and Microsoft.AspNetCore.App from the SDK's packs, plus SyncContext's.</summary>
    public static ImmutableArray<MetadataReference> References()
    {
        var paths = new List<string>();
        foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
        {
            paths.AddRange(Directory.GetFiles(Path.Combine(PackDirectory(pack), "ref", "net10.0"), "*.dll"));
        }

        paths.Add(typeof(SyncContext.AspNetCore.Routing.SyncContextEndpoints).Assembly.Location);
        paths.Add(typeof(SyncContext.IRunSync).Assembly.Location);
        return [.. paths.Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    /// <summary>The newest version of a pack in the SDK that runs this (dotnet/packs/NAME/VERSION).</summary>
    public static string PackDirectory(string pack)
    {
        // dotnet/shared/Microsoft.NETCore.App/VERSION/System.Private.CoreLib.dll
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var versions = Directory.GetDirectories(Path.Combine(root, "packs", pack))
            .Where(static directory => Directory.Exists(Path.Combine(directory, "ref", "net10.0")))
            .OrderBy(static directory => Version.TryParse(Path.GetFileName(directory).Split('-')[0], out var version) ? version : new Version(0, 0))
            .ToList();
        return versions.Count > 0 ? versions[^1] : throw new InvalidOperationException($"No {pack} with ref/net10.0 under {root}/packs.");
    }
}
