using System.Diagnostics.Metrics;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static SyncContext.Tests.ErrorHandling.ErrorHandlingTestHost;

namespace SyncContext.Tests.ErrorHandling;

public class ExceptionHandlerMetricsTests
{
    [Fact]
    public async Task A_handled_exception_is_counted_on_ASP_NET_Cores_instrument_with_its_tags()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((InvalidOperationException ex) => Results.Text("handled"));
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });
        using var exceptions = Collector(host);

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        var counted = exceptions.GetMeasurementSnapshot().ShouldHaveSingleItem();
        counted.Value.ShouldBe(1);
        counted.Tags["error.type"].ShouldBe("System.InvalidOperationException");
        counted.Tags["aspnetcore.diagnostics.exception.result"].ShouldBe("handled");
        counted.Tags.ShouldNotContainKey("aspnetcore.diagnostics.handler.type");
    }

    [Fact]
    public async Task An_exception_whose_handler_fails_is_counted_as_unhandled()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((ArgumentException ex) => ThrowFromEndpoint(new InvalidOperationException("the handler failed")));
            app.MapGet("/boom", () => ThrowFromEndpoint(new ArgumentException("boom")));
        });
        using var exceptions = Collector(host);

        await Should.ThrowAsync<ArgumentException>(() => host.Scenario(_ => _.Get.Url("/boom")));

        var counted = exceptions.GetMeasurementSnapshot().ShouldHaveSingleItem();
        counted.Tags["error.type"].ShouldBe("System.ArgumentException");
        counted.Tags["aspnetcore.diagnostics.exception.result"].ShouldBe("unhandled");
    }

    [Fact]
    public async Task An_exception_of_another_type_is_not_counted_by_the_handler_it_passes()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((ArgumentException ex) => "not this one");
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });
        using var exceptions = Collector(host);

        await Should.ThrowAsync<InvalidOperationException>(() => host.Scenario(_ => _.Get.Url("/boom")));

        exceptions.GetMeasurementSnapshot().ShouldBeEmpty();
    }

    private static MetricCollector<long> Collector(IAlbaHost host)
        => new(host.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Diagnostics", "aspnetcore.diagnostics.exceptions");
}
