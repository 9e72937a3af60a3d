using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncContext.Tests.Routing;

/// <summary>
/// A real Kestrel on 127.0.0.1 with an ephemeral port, for responses TestServer would not show as a client sees
/// them (an unhandled exception is rethrown there; Kestrel answers 500).
/// </summary>
internal sealed class KestrelApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelApp(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app; <paramref name="withSyncContext"/> off builds it exactly as without the package.</summary>
    public static async Task<KestrelApp> StartAsync(bool withSyncContext, Action<WebApplication> configure, string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        if (withSyncContext)
        {
            builder.Services.AddSyncContext();
        }

        var app = builder.Build();
        configure(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new KestrelApp(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TestHosts.HangGuard });
    }

    /// <summary>Status, every header but <c>Date</c> (sorted), and the body, as one comparable text.</summary>
    public async Task<string> SeeAsync(HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(static h => !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            .Select(static h => $"{h.Key}: {string.Join(",", h.Value)}")
            .Order(StringComparer.Ordinal);
        return $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n\n{await response.Content.ReadAsStringAsync()}";
    }

    public Task<string> SeeAsync(string url) => SeeAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
