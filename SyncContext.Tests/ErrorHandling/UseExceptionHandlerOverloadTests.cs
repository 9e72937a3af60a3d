using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static SyncContext.Tests.ErrorHandling.ErrorHandlingTestHost;

namespace SyncContext.Tests.ErrorHandling;

/// <summary>
/// <c>UseExceptionHandler(Delegate)</c> sits beside ASP.NET Core's overloads: these calls compile, and each
/// binds to the overload its shape asks for (ours run on a SyncContext thread, ASP.NET Core's do not).
/// </summary>
public class UseExceptionHandlerOverloadTests
{
    [Fact]
    public async Task Lambdas_with_a_typed_exception_parameter_bind_to_the_sync_handler()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((Exception ex) => "any: " + Thread.CurrentThread.Name);
            app.UseExceptionHandler((InvalidOperationException ex, HttpContext context) => "invalid: " + Thread.CurrentThread.Name);
            app.MapGet("/invalid", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
            app.MapGet("/format", () => ThrowFromEndpoint(new FormatException("boom")));
        });

        var invalid = await host.Scenario(_ =>
        {
            _.Get.Url("/invalid");
            _.StatusCodeShouldBe(500);
        });
        var format = await host.Scenario(_ =>
        {
            _.Get.Url("/format");
            _.StatusCodeShouldBe(500);
        });

        invalid.ReadAsText().ShouldStartWith("invalid: SyncContext #");
        format.ReadAsText().ShouldStartWith("any: SyncContext #");
    }

    [Fact]
    public async Task Error_pipeline_lambda_binds_to_ASP_NET_Core()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler(errorApp => errorApp.Run(context => context.Response.WriteAsync("pipeline: " + (Thread.CurrentThread.Name ?? "pool"))));
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        result.ReadAsText().ShouldStartWith("pipeline: ");
        result.ReadAsText().ShouldNotContain("SyncContext");
    }

    [Fact]
    public async Task Error_path_binds_to_ASP_NET_Core()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler("/error");
            app.MapGet("/error", () => "error page");
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.ContentShouldBe("error page");
        });
    }

    [Fact]
    public async Task Options_bind_to_ASP_NET_Core()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = context => context.Response.WriteAsync("options") });
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.ContentShouldBe("options");
        });
    }
}
