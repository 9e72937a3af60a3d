using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncContext.Tests.Fidelity;

/// <summary>
/// One app of the suite on real Kestrel (127.0.0.1, an ephemeral port), so the comparison sees what a client
/// really gets: Kestrel's own 500s, framing headers, aborted connections.
/// </summary>
internal sealed class FidelityApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private FidelityApp(FidelityMode mode, string environment, WebApplication app, HttpClient client, ConcurrentDictionary<string, ConcurrentQueue<string>> traces)
    {
        Mode = mode;
        Environment = environment;
        _app = app;
        _client = client;
        Traces = traces;
    }

    /// <summary>Only turns a hung request into a failed one; on a quiet machine the whole run takes less.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public FidelityMode Mode { get; }

    public string Environment { get; }

    /// <summary>What <c>P</c> recorded, by request id: <c>"handler@thread"</c> and <c>"item@thread"</c> in order.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> Traces { get; }

    public override string ToString() => $"{Mode}/{Environment}";

    public static async Task<FidelityApp> StartAsync(Assembly program, IReadOnlyList<Shape> shapes, FidelityMode mode, string environment)
    {
        var type = program.GetType("Fidelity.App", throwOnError: true)!;
        var traces = new ConcurrentDictionary<string, ConcurrentQueue<string>>();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(traces);
        if (mode != FidelityMode.Plain)
        {
            builder.Services.AddSyncContext();
        }

        type.GetMethod("ConfigureServices")!.Invoke(null, [builder.Services]);
        var app = builder.Build();
        type.GetMethod("Configure")!.Invoke(null, [app, mode == FidelityMode.Runtime]);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
#pragma warning disable CA2000 // The client owns the handler and is disposed with the app.
        var client = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            MaxConnectionsPerServer = 16,
        })
        {
            BaseAddress = new Uri(address),
            Timeout = HangGuard,
        };
#pragma warning restore CA2000
        var started = new FidelityApp(mode, environment, app, client, traces);

        // The first request builds every endpoint and the route matcher (seconds for this many endpoints on a
        // loaded machine), so it goes alone, before the timed ones. A shape ASP.NET Core rejects fails every
        // request with 500; find it by name here rather than report hundreds of 500s.
        var warmUp = await started.SendAsync("/fidelity/warm-up", new FidelityRequest("GET", "/fidelity/warm-up"), "warm-up");
        if (warmUp.StatusCode != "404")
        {
            throw new InvalidOperationException($"{started} answers {warmUp}; shapes ASP.NET Core rejects:{System.Environment.NewLine}{RejectedShapes(app, type, shapes)}");
        }

        return started;
    }

    private static string RejectedShapes(WebApplication app, Type program, IReadOnlyList<Shape> shapes)
    {
        var rejected = new StringBuilder();
        for (var i = 0; i < shapes.Count; i++)
        {
            if (program.GetMethod($"Shape_{i}") is not { } map)
            {
                continue;
            }

            var alone = app.MapGroup($"/rejected-{i}");
            map.Invoke(null, [alone]);
            try
            {
                _ = ((IEndpointRouteBuilder)alone).DataSources.SelectMany(source => source.Endpoints).Count();
            }
            catch (Exception error) when (error is InvalidOperationException or ArgumentException or NotSupportedException)
            {
                rejected.AppendLine($"{shapes[i]}: {error.Message}");
            }
        }

        return rejected.ToString();
    }

    /// <summary>Sends one request and captures the answer as a client sees it.</summary>
    public async Task<Answer> SendAsync(string path, FidelityRequest request, string id)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), path);
        message.Headers.Host = "fidelity.test";
        message.Headers.TryAddWithoutValidation(FidelityProgram.RequestIdHeader, id);
        foreach (var header in request.Headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            message.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].Trim()).ShouldBeTrue(header);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType).ShouldBeTrue(request.ContentType);
            }
        }

        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
            var headers = response.Headers.NonValidated
                .Concat(response.Content.Headers.NonValidated)
                .Where(header => !header.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
                .Select(header => $"{header.Key}: {string.Join(" | ", header.Value)}")
                .Order(StringComparer.OrdinalIgnoreCase)
                .ToArray();
            var body = await response.Content.ReadAsByteArrayAsync();
            return new Answer($"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}", headers, body, Failure: null);
        }
        catch (HttpRequestException error)
        {
            // An aborted response (an exception after the headers left): what the client saw is the failure itself.
            return new Answer("(no complete response)", [], [], $"{nameof(HttpRequestException)} ({error.HttpRequestError})");
        }
        catch (TaskCanceledException)
        {
            return new Answer("(no response)", [], [], $"timed out after {HangGuard.TotalSeconds} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
