using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SyncContext.Benchmarks.Routing;

/// <summary>
/// The per-request cost of the same trivial handler inline, offloaded, and written async: the endpoint's own
/// <see cref="RequestDelegate"/> (binding, filters, result writing) on a fresh <see cref="DefaultHttpContext"/>,
/// without the server and routing, which cost the same in all three.
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    public const int Requests = 1000;

    private WebApplication _app = null!;
    private RequestDelegate _inline = null!;
    private RequestDelegate _offloaded = null!;
    private RequestDelegate _async = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSyncContext();
        _app = builder.Build();
        _app.MapGet("/inline", static () => "ok");
        _app.MapGet("/offloaded", static () => "ok").OffloadSync();
        _app.MapGet("/async", static () => Task.FromResult("ok"));

        var endpoints = ((IEndpointRouteBuilder)_app).DataSources
            .SelectMany(static source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .ToDictionary(static endpoint => endpoint.RoutePattern.RawText!, static endpoint => endpoint.RequestDelegate!);
        _inline = endpoints["/inline"];
        _offloaded = endpoints["/offloaded"];
        _async = endpoints["/async"];
    }

    [GlobalCleanup]
    public void Cleanup() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "sync handler, inline")]
    public Task Inline() => Drive(_inline);

    [Benchmark(OperationsPerInvoke = Requests, Description = "sync handler, OffloadSync()")]
    public Task Offloaded() => Drive(_offloaded);

    [Benchmark(OperationsPerInvoke = Requests, Description = "async handler (Task.FromResult)")]
    public Task Async() => Drive(_async);

    private async Task Drive(RequestDelegate handler)
    {
        await Task.Yield(); // requests start on the pool
        for (var i = 0; i < Requests; i++)
        {
            var context = new DefaultHttpContext { RequestServices = _app.Services };
            await handler(context);
            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                throw new InvalidOperationException($"The handler answered {context.Response.StatusCode}.");
            }
        }
    }
}
