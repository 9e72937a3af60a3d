using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncContext.Tests.Generator;

/// <summary>
/// One Program-like source compiled in memory, loaded and served by TestServer: with the generator
/// (its interceptors offload the handlers) or runtime-only (its groups call <c>.OffloadSync()</c> instead).
/// </summary>
public sealed class CompiledApp : IAsyncDisposable
{
    private CompiledApp(WebApplication app, Assembly assembly)
    {
        App = app;
        Client = app.GetTestClient();
        Assembly = assembly;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public Assembly Assembly { get; }

    /// <summary>The name of the thread each handler last ran on, by the key it recorded itself under.</summary>
    public ConcurrentDictionary<string, string> Threads
        => (ConcurrentDictionary<string, string>)Assembly.GetType("TestApp.Probe")!.GetField("Threads")!.GetValue(null)!;

    public static async Task<CompiledApp> StartAsync(string programSource, bool generatorEnabled)
    {
        var source = programSource.Replace("/*OFFLOAD*/", generatorEnabled ? string.Empty : ".OffloadSync()", StringComparison.Ordinal);
        Compilation compilation = GeneratorHarness.Compile(generatorEnabled ? "TestApp.Generated" : "TestApp.RuntimeOnly", interceptorsEnabled: true, source);
        if (generatorEnabled)
        {
            var result = GeneratorHarness.Run((Microsoft.CodeAnalysis.CSharp.CSharpCompilation)compilation);
            result.InterceptedCalls.ShouldBeGreaterThan(0);
            compilation = result.Output;
        }

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        emitted.Success.ShouldBeTrue(string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var assembly = Assembly.Load(image.ToArray());
        var program = assembly.GetType("TestApp.App")!;

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        program.GetMethod("ConfigureServices")!.Invoke(null, [builder.Services]);
        var app = builder.Build();
        program.GetMethod("Configure")!.Invoke(null, [app]);
        await app.StartAsync();
        return new CompiledApp(app, assembly);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
