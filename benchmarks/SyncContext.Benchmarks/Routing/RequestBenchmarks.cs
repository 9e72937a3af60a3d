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
    private WebApplication _full = null!;
    private RequestDelegate _inline = null!;
    private RequestDelegate _offloaded = null!;
    private RequestDelegate _async = null!;
    private RequestDelegate _rejected = null!;
    private readonly ManualResetEventSlim _releaseWorker = new();
    private readonly CancellationTokenSource _aborted = new();
    private Task _holdingWorker = Task.CompletedTask;

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

        var endpoints = Endpoints(_app);
        _inline = endpoints["/inline"];
        _offloaded = endpoints["/offloaded"];
        _async = endpoints["/async"];

        // One worker, held busy, and no queue: every request is shed with 503, the overload path of S5.
        var full = WebApplication.CreateSlimBuilder();
        full.Logging.ClearProviders();
        full.Services.AddSyncContext(static options =>
        {
            options.MaxThreads = 1;
            options.QueueLimit = 0;
        });
        _full = full.Build();
        _full.MapGet("/rejected", static () => "ok").OffloadSync();
        _rejected = Endpoints(_full)["/rejected"];
        _holdingWorker = _full.Services.GetRequiredService<IRunSync>().RunAsync(_releaseWorker.Wait);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _releaseWorker.Set();
        _holdingWorker.GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _full.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _releaseWorker.Dispose();
        _aborted.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "sync handler, inline")]
    public Task Inline() => Drive(_inline);

    [Benchmark(OperationsPerInvoke = Requests, Description = "sync handler, OffloadSync()")]
    public Task Offloaded() => Drive(_offloaded);

    [Benchmark(OperationsPerInvoke = Requests, Description = "async handler (Task.FromResult)")]
    public Task Async() => Drive(_async);

    [Benchmark(OperationsPerInvoke = Requests, Description = "sync handler, OffloadSync(), queue full (503)")]
    public Task Rejected() => Drive(_rejected, StatusCodes.Status503ServiceUnavailable);

    private static Dictionary<string, RequestDelegate> Endpoints(WebApplication app)
        => ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(static source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .ToDictionary(static endpoint => endpoint.RoutePattern.RawText!, static endpoint => endpoint.RequestDelegate!);

    private async Task Drive(RequestDelegate handler, int expectedStatus = StatusCodes.Status200OK)
    {
        await Task.Yield(); // requests start on the pool
        var accessor = _app.Services.GetRequiredService<IHttpContextAccessor>();
        for (var i = 0; i < Requests; i++)
        {
            // RequestAborted is cancellable, as Kestrel's is (DefaultHttpContext's own is CancellationToken.None).
            var context = new DefaultHttpContext { RequestServices = _app.Services, RequestAborted = _aborted.Token };
            accessor.HttpContext = context; // as ASP.NET Core's hosting does: the request's flow holds it
            await handler(context);
            accessor.HttpContext = null;
            if (context.Response.StatusCode != expectedStatus)
            {
                throw new InvalidOperationException($"The handler answered {context.Response.StatusCode}.");
            }
        }
    }
}
