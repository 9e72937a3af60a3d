using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.Tests.Hosting;

public class AddSyncContextTests
{
    [Fact]
    public void AddSyncContext_twice_registers_each_service_once_and_applies_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        services.AddSyncContext(o => o.MaxThreads = 3).AddSyncContext(o => o.MinThreads = 2);

        // Once unkeyed, once keyed "default".
        services.Count(d => d.ServiceType == typeof(SyncExecutor)).ShouldBe(2);
        services.Count(d => d.ServiceType == typeof(IRunSync)).ShouldBe(2);
        services.Count(d => d.ServiceType == typeof(SyncExecutor) && d.IsKeyedService).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(IRequestContext)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(IAppContext)).ShouldBe(1);
        services.Where(d => d.ServiceType == typeof(IHostedService)).GroupBy(d => d.ImplementationType).ShouldAllBe(lifetime => lifetime.Count() == 1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<SyncContextOptions>)).ShouldBe(1);

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SyncContextOptions>>().Value;
        options.MaxThreads.ShouldBe(3);
        options.MinThreads.ShouldBe(2);
        provider.GetRequiredService<IRunSync>().ShouldBeSameAs(provider.GetRequiredService<SyncExecutor>());
    }

    [Theory]
    [InlineData(0, 0, 10, "MaxThreads")]
    [InlineData(2, 5, 10, "MinThreads")]
    [InlineData(2, 1, -1, "QueueLimit")]
    public async Task Invalid_options_fail_when_the_host_starts_naming_the_option(int maxThreads, int minThreads, int queueLimit, string option)
    {
        await using var app = CreateApp(services => services.AddSyncContext(o =>
        {
            o.MaxThreads = maxThreads;
            o.MinThreads = minThreads;
            o.QueueLimit = queueLimit;
        }));

        var error = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync());

        error.Message.ShouldContain($"SyncContextOptions.{option}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_CpuBudget_below_one_fails_when_the_host_starts(int budget)
    {
        await using var app = CreateApp(services => services.AddSyncContext(o => o.CpuBudget = budget));

        var error = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync());

        error.Message.ShouldContain("SyncContextOptions.CpuBudget");
    }

    [Fact]
    public void The_defaults_cap_threads_at_512_and_leave_one_core_to_async_work()
    {
        var options = new SyncContextOptions();

        options.MaxThreads.ShouldBe(512);
        options.CpuBudget.ShouldBe(Math.Max(1, Environment.ProcessorCount - 1));
        options.CpuBudgetWorkConserving.ShouldBeFalse();
    }

    [Fact]
    public async Task Setting_only_MaxThreads_below_the_core_count_is_valid()
    {
        await using var app = CreateApp(services => services.AddSyncContext(o => o.MaxThreads = 1));

        await app.StartAsync();

        var options = app.Services.GetRequiredService<IOptions<SyncContextOptions>>().Value;
        options.MinThreads.ShouldBe(Math.Min(Environment.ProcessorCount, 1));
        app.Services.GetRequiredService<SyncExecutor>().ThreadCount.ShouldBeLessThanOrEqualTo(1);
        await app.StopAsync();
    }

    [Fact]
    public async Task OffloadSync_on_a_group_without_AddSyncContext_throws_at_the_call()
    {
        await using var app = CreateApp(_ => { });

        var error = Should.Throw<InvalidOperationException>(() => app.MapGroup("/g").OffloadSync());

        error.Message.ShouldContain("AddSyncContext");
    }

    [Fact]
    public async Task OffloadSync_on_an_endpoint_without_AddSyncContext_fails_when_the_endpoint_is_built()
    {
        await using var app = CreateApp(_ => { });

        // An endpoint builder cannot see the services, so the call itself succeeds...
        app.MapGet("/x", () => "x").OffloadSync();
        await app.StartAsync();

        // ...and the endpoint fails as soon as routing builds it: on the first request.
        using var client = app.GetTestClient();
        var error = await Should.ThrowAsync<InvalidOperationException>(client.GetAsync("/x"));
        error.Message.ShouldContain("AddSyncContext");
    }

    private static WebApplication CreateApp(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        configure(builder.Services);
        return builder.Build();
    }
}
