using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SyncContext.Benchmarks.Routing;

/// <summary>
/// What <c>AddSyncContext()</c> costs every request of the app, offloaded or not: it registers
/// <see cref="IHttpContextAccessor"/>, and ASP.NET Core's <see cref="DefaultHttpContextFactory"/> then puts each
/// request's <see cref="HttpContext"/> in an async-local as it creates the context. Create and dispose, as hosting
/// does per request, with and without the accessor registered.
/// </summary>
[MemoryDiagnoser]
public class HttpContextFactoryBenchmarks
{
    public const int Requests = 1000;

    private readonly FeatureCollection _features = new();
    private ServiceProvider _plain = null!;
    private ServiceProvider _withAccessor = null!;
    private IHttpContextFactory _plainFactory = null!;
    private IHttpContextFactory _accessorFactory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _features.Set<IHttpRequestFeature>(new HttpRequestFeature());
        _features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        (_plain, _plainFactory) = Factory(withAccessor: false);
        (_withAccessor, _accessorFactory) = Factory(withAccessor: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _withAccessor.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "HttpContext per request, no accessor")]
    public Task WithoutAccessor() => Drive(_plainFactory);

    [Benchmark(OperationsPerInvoke = Requests, Description = "HttpContext per request, IHttpContextAccessor registered")]
    public Task WithAccessor() => Drive(_accessorFactory);

    private static (ServiceProvider Services, IHttpContextFactory Factory) Factory(bool withAccessor)
    {
        var services = new ServiceCollection().AddOptions().AddLogging();
        if (withAccessor)
        {
            services.AddHttpContextAccessor();
        }

        services.AddSingleton<IHttpContextFactory, DefaultHttpContextFactory>();
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IHttpContextFactory>());
    }

    private async Task Drive(IHttpContextFactory factory)
    {
        await Task.Yield(); // requests start on the pool, in its default context
        for (var i = 0; i < Requests; i++)
        {
            var context = factory.Create(_features);
            factory.Dispose(context);
        }
    }
}
