using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.ErrorHandling;
using SyncContext.AspNetCore.Routing;
using static SyncContext.Tests.ErrorHandling.ErrorHandlingTestHost;

namespace SyncContext.Tests.ErrorHandling;

/// <summary>How the runtime binds an error handler's parameters, and what it refuses at start-up.</summary>
public class ExceptionHandlerBindingTests
{
    [Fact]
    public async Task Binds_HttpContext_IRequestContext_IAppContext_and_CancellationToken()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((InvalidOperationException ex, HttpContext context, IRequestContext request, IAppContext application, CancellationToken aborted) => new
            {
                ex.Message,
                Path = context.Request.Path.Value,
                RequestPath = request.Path,
                RequestTrace = request.TraceIdentifier == context.TraceIdentifier,
                application.ApplicationName,
                IsRequestAborted = aborted.CanBeCanceled && aborted == context.RequestAborted,
            });
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        var bound = result.ReadAsJson<Bound>()!;
        var applicationName = host.Services.GetRequiredService<IAppContext>().ApplicationName;
        bound.ShouldBe(new Bound("boom", "/boom", "/boom", RequestTrace: true, applicationName, IsRequestAborted: true));
    }

    [Fact]
    public async Task Binds_other_parameters_from_the_request_services()
    {
        await using var host = await Start(
            app =>
            {
                app.UseExceptionHandler((Exception ex, Greeter greeter) => greeter.Greet(ex.Message));
                app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
            },
            services => services.AddScoped<Greeter>());

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.ContentShouldBe("sorry: boom");
        });
    }

    [Fact]
    public async Task Unregistered_nullable_or_defaulted_parameters_get_null_or_their_default()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((Exception ex, Greeter? greeter, int retries = 3) => $"{greeter is null} {retries}");
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.ContentShouldBe("True 3");
        });
    }

    [Fact]
    public async Task Handler_without_an_exception_parameter_handles_every_exception()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((HttpContext context) => "handled " + context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()!.Error.Message);
            app.MapGet("/boom", () => ThrowFromEndpoint(new FormatException("boom")));
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.ContentShouldBe("handled boom");
        });
    }

    [Fact]
    public void Unbindable_parameter_fails_at_start_up_naming_it()
    {
        using var app = BuildApp();

        var failure = Should.Throw<InvalidOperationException>(() => app.UseExceptionHandler((Exception ex, string customerName) => customerName));

        failure.Message.ShouldContain("'customerName'");
        failure.Message.ShouldContain("String");
    }

    [Fact]
    public void Unregistered_service_parameter_fails_at_start_up_naming_it()
    {
        using var app = BuildApp();

        var failure = Should.Throw<InvalidOperationException>(() => app.UseExceptionHandler((Exception ex, Greeter greeter) => greeter.Greet(ex.Message)));

        failure.Message.ShouldContain("'greeter'");
        failure.Message.ShouldContain(nameof(Greeter));
    }

    [Fact]
    public void Two_exception_parameters_fail_at_start_up_naming_both()
    {
        using var app = BuildApp();

        var failure = Should.Throw<InvalidOperationException>(() => app.UseExceptionHandler((InvalidOperationException first, ArgumentException second) => "x"));

        failure.Message.ShouldContain("'first'");
        failure.Message.ShouldContain("'second'");
    }

    [Fact]
    public void Asynchronous_handler_fails_at_start_up()
    {
        using var app = BuildApp();

        var failure = Should.Throw<InvalidOperationException>(() => app.UseExceptionHandler((Exception ex) => Task.FromResult("x")));

        failure.Message.ShouldContain("Task<String>");
    }

    [Fact]
    public void Missing_AddSyncContext_fails_at_the_UseExceptionHandler_call()
    {
        using var app = WebApplication.CreateBuilder().Build();

        var runtime = Should.Throw<InvalidOperationException>(() => app.UseExceptionHandler((Exception ex) => "x"));
        var generated = Should.Throw<InvalidOperationException>(() => SyncContextExceptionHandlers.Use<Exception>(app, static (context, ex) => "x"));

        runtime.Message.ShouldBe(OffloadChecks.MissingRegistrationMessage);
        generated.Message.ShouldBe(OffloadChecks.MissingRegistrationMessage);
    }

    private static WebApplication BuildApp()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddSyncContext();
        return builder.Build();
    }

    private sealed record Bound(string Message, string? Path, string RequestPath, bool RequestTrace, string ApplicationName, bool IsRequestAborted);
}

public sealed class Greeter
{
    public string Greet(string message) => "sorry: " + message;
}
