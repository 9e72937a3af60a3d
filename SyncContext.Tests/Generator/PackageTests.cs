using System.Diagnostics;
using System.IO.Compression;
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

            ShouldBeCompletePackage(Path.Combine(feed, $"SyncContext.AspNetCore.{version}.nupkg"), "SyncContext.AspNetCore.dll");
            ShouldBeCompletePackage(Path.Combine(feed, $"SyncContext.Abstractions.{version}.nupkg"), "SyncContext.Abstractions.dll");
            using (var package = ZipFile.OpenRead(Path.Combine(feed, $"SyncContext.AspNetCore.{version}.nupkg")))
            {
                // Under the Roslyn version it is built against, so that an older compiler skips it rather than fail to load it.
                package.Entries.Select(e => e.FullName).ShouldContain("analyzers/dotnet/roslyn4.14/cs/SyncContext.AspNetCore.Generator.dll");
                package.Entries.ShouldNotContain(e => e.FullName.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal));
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

            // With ASP.NET Core's own interceptor generator on (as PublishAot sets it), the call is left to it (two
            // interceptors on one call is CS9153), nothing is reported, and the runtime offloads the handler all the same.
            var output = await RunAsync(app, "build", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:EnableRequestDelegateGenerator=true", "--no-incremental");
            output.ShouldNotContain("warning SYNCCTX0"); // the generator's own (SYNCCTX0xx); /blocks still gets the analyzer's SYNCCTX100
            (await GetWhereAsync(app)).ShouldStartWith("SyncContext #");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>What a package page shows and a debugger needs: README, icon, description, tags, no placeholder URL, symbols.</summary>
    private static void ShouldBeCompletePackage(string path, string assembly)
    {
        using (var package = ZipFile.OpenRead(path))
        {
            var entries = package.Entries.Select(e => e.FullName).ToList();
            entries.ShouldContain("README.md");
            entries.ShouldContain("icon.png");
            entries.ShouldContain($"lib/net10.0/{assembly}");
            var nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var reader = new StreamReader(nuspecEntry.Open());
            var nuspec = reader.ReadToEnd();
            nuspec.ShouldContain("<readme>README.md</readme>");
            nuspec.ShouldContain("<icon>icon.png</icon>");
            nuspec.ShouldContain("<description>");
            nuspec.ShouldContain("<tags>");
            nuspec.ShouldNotContain("example.invalid");
        }

        using var symbols = ZipFile.OpenRead(Path.ChangeExtension(path, ".snupkg"));
        symbols.Entries.Select(e => e.FullName).ShouldContain($"lib/net10.0/{Path.ChangeExtension(assembly, ".pdb")}");
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
