using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests;

/// <summary>Builds the Alba hosts the HTTP tests run against.</summary>
internal static class TestHosts
{
    /// <summary>Starts a Production-environment app with SyncContext registered.</summary>
    public static Task<IAlbaHost> StartAsync(
        Action<WebApplication> configure,
        Action<SyncContextOptions>? options = null,
        Action<WebApplicationBuilder>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext(options);
        services?.Invoke(builder);
        return AlbaHost.For(builder, configure);
    }

    /// <summary>
    /// Applies <c>OffloadSync()</c> when <paramref name="offload"/> is set, so one app body can run
    /// with and without the library.
    /// </summary>
    public static TBuilder OffloadSyncIf<TBuilder>(this TBuilder builder, bool offload)
        where TBuilder : IEndpointConventionBuilder
        => offload ? builder.OffloadSync() : builder;

    /// <summary>Polls <paramref name="condition"/> until it holds; the deadline only guards against a hang.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            try
            {
                await Task.Delay(5, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for: {what}.");
            }
        }
    }

    /// <summary>A generous guard that turns a deadlock into a failed test instead of a hung run.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);
}
