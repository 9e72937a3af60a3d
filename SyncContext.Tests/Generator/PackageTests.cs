using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SyncContext.Tests.Generator;

/// <summary>
/// Slow (packs, restores and builds a real app; about a minute): the packages as a user gets them. Runs in
/// the normal <c>dotnet test</c>; filter it out locally with <c>--filter Category!=Packaging</c>.
/// </summary>
[Trait("Category", "Packaging")]
public class PackageTests
{
    private static readonly TimeSpan s_commandLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_new_web_app_offloads_a_plain_sync_MapGet_with_only_the_package_added()
    {
        var repository = FindRepositoryRoot();
        var work = Directory.CreateTempSubdirectory("synccontext-package-");
        try
        {
            // A version no earlier run used, so the global package cache cannot serve a stale copy.
            var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..8]}";
            var feed = Path.Combine(work.FullName, "feed");
            var artifacts = Path.Combine(work.FullName, "artifacts");
            var app = Path.Combine(work.FullName, "app");
            foreach (var project in new[] { "SyncContext.Abstractions", "SyncContext.AspNetCore" })
            {
                await RunAsync(repository, "pack", Path.Combine(repository, project, project + ".csproj"), "-c", "Release", "-o", feed,
                    $"-p:Version={version}", "--artifacts-path", artifacts, "-nodeReuse:false", "-p:UseSharedCompilation=false");
            }

            await RunAsync(work.FullName, "new", "web", "-o", app, "-n", "SyncApp", "--no-update-check");
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            await RunAsync(app, "add", "package", "SyncContext.AspNetCore", "--version", version);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
                var builder = WebApplication.CreateBuilder(args);
                builder.Services.AddSyncContext();
                var app = builder.Build();
                app.MapGet("/where", () => Thread.CurrentThread.Name);
                app.MapGet("/blocks", async () => { Thread.Sleep(1); await Task.Yield(); return "x"; });
                app.Run();
                """);
            var firstBuild = await RunAsync(app, "build", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false");
            // The blocking-call analyzer ships in the same package.
            firstBuild.ShouldContain("warning SYNCCTX100");
            (await GetWhereAsync(app)).ShouldStartWith("SyncContext #");

            // Opting out leaves the handler where ASP.NET Core runs it.
            await RunAsync(app, "build", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:EnableSyncContextGenerator=false", "--no-incremental");
            (await GetWhereAsync(app)).ShouldNotStartWith("SyncContext");

            // With ASP.NET Core's own interceptor generator on (as PublishAot sets it), the app still builds and
            // the call is reported with the fix instead of being intercepted twice (CS9153).
            var output = await RunAsync(app, "build", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:EnableRequestDelegateGenerator=true", "--no-incremental");
            output.ShouldContain("warning SYNCCTX002");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<string> GetWhereAsync(string app)
    {
        var port = FreePort();
        using var server = Start(app, "exec", Path.Combine(app, "bin", "Release", "net10.0", "SyncApp.dll"), "--urls", $"http://127.0.0.1:{port}");
        try
        {
            return await GetWhenListeningAsync(new Uri($"http://127.0.0.1:{port}/where"), server);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<string> GetWhenListeningAsync(Uri uri, Process server)
    {
        using var client = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            server.HasExited.ShouldBeFalse("The app exited before it answered.");
            try
            {
                return await client.GetStringAsync(uri);
            }
            catch (HttpRequestException) when (attempt < 300)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        using var process = Start(directory, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(s_commandLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.ExitCode.ShouldBe(0, $"dotnet {string.Join(' ', arguments)}{Environment.NewLine}{await output}{await error}");
        return await output;
    }

    private static Process Start(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside `dotnet test`: keep its MSBuild settings out of the child builds.
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Process.Start(start)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SyncContext.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SyncContext.slnx not found above " + AppContext.BaseDirectory);
    }
}
