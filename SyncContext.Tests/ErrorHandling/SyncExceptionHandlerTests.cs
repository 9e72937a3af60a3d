using System.Diagnostics;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.ErrorHandling;
using static SyncContext.Tests.ErrorHandling.ErrorHandlingTestHost;

namespace SyncContext.Tests.ErrorHandling;

public class SyncExceptionHandlerTests
{
    private static readonly AsyncLocal<string?> s_fromMiddleware = new();

    [Fact]
    public async Task Handler_runs_on_a_SyncContext_thread()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((Exception ex) => Thread.CurrentThread.Name ?? "pool");
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        result.ReadAsText().ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Handler_sees_the_failed_requests_context()
    {
        string? traceIdentifier = null;
        string? activityId = null;
        await using var host = await Start(app =>
        {
            app.Use(async (context, next) =>
            {
                s_fromMiddleware.Value = "set before the handler";
                traceIdentifier = context.TraceIdentifier;
                using var activity = new Activity("outer middleware").Start();
                activityId = activity.Id;
                await next(context);
            });
            app.UseExceptionHandler((Exception ex, HttpContext context, IHttpContextAccessor accessor) => new
            {
                AccessorSeesTheRequest = ReferenceEquals(accessor.HttpContext, context),
                context.TraceIdentifier,
                AsyncLocal = s_fromMiddleware.Value,
                Activity = Activity.Current?.Id,
            });
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        var seen = result.ReadAsJson<SeenContext>()!;
        seen.AccessorSeesTheRequest.ShouldBeTrue();
        seen.TraceIdentifier.ShouldBe(traceIdentifier);
        seen.AsyncLocal.ShouldBe("set before the handler");
        seen.Activity.ShouldNotBeNull();
        seen.Activity.ShouldBe(activityId);
    }

    [Fact]
    public async Task Handler_sees_the_exception_features_endpoint_route_values_and_path()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((InvalidOperationException ex, HttpContext context) =>
            {
                var feature = context.Features.Get<IExceptionHandlerPathFeature>()!;
                return new
                {
                    SameError = ReferenceEquals(feature.Error, ex),
                    SameFeature = ReferenceEquals(context.Features.Get<IExceptionHandlerFeature>(), feature),
                    feature.Path,
                    Endpoint = feature.Endpoint?.DisplayName,
                    Id = feature.RouteValues?["id"]?.ToString(),
                };
            });
            app.MapGet("/items/{id}", (string id) => ThrowFromEndpoint(new InvalidOperationException("boom"))).WithDisplayName("get item");
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/items/42");
            _.StatusCodeShouldBe(500);
        });

        var seen = result.ReadAsJson<SeenFeature>()!;
        seen.ShouldBe(new SeenFeature(SameError: true, SameFeature: true, Path: "/items/42", Endpoint: "get item", Id: "42"));
    }

    [Fact]
    public async Task Handled_response_is_cleared_and_not_cacheable()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((Exception ex) => "handled");
            app.MapGet("/boom", (HttpContext context) =>
            {
                context.Response.Headers["X-Before-Failure"] = "set";
                context.Response.Headers.CacheControl = "public, max-age=600";
                return ThrowFromEndpoint(new InvalidOperationException("boom"));
            });
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
            _.Header("X-Before-Failure").ShouldNotBeWritten();
            _.Header("Cache-Control").SingleValueShouldEqual("no-cache,no-store");
        });

        result.ReadAsText().ShouldBe("handled");
    }

    [Fact]
    public async Task Handled_exception_is_logged_as_ASP_NET_Cores_handler_logs_it()
    {
        var logs = new LogSink();
        var thrown = new InvalidOperationException("boom");
        await using var host = await Start(
            app =>
            {
                app.UseExceptionHandler((Exception ex) => "handled");
                app.MapGet("/boom", () => ThrowFromEndpoint(thrown));
            },
            logs: logs);

        await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        logs.Entries.ShouldContain(e => e.EventName == "UnhandledException" && e.Level == LogLevel.Error && e.Exception == thrown);
    }

    [Fact]
    public async Task Synchronous_body_io_is_allowed_in_the_handler()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((Exception ex, HttpContext context) =>
            {
                context.Response.ContentType = "text/plain";
                context.Response.Body.Write("written synchronously"u8);
            });
            app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));

            // The same write from an ordinary endpoint, to show the host refuses synchronous I/O.
            app.MapGet("/sync-write", (HttpContext context) =>
            {
                try
                {
                    context.Response.Body.Write("x"u8);
                    return "allowed";
                }
                catch (InvalidOperationException)
                {
                    return "refused";
                }
            });
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        result.ReadAsText().ShouldBe("written synchronously");
        (await host.GetAsText("/sync-write")).ShouldBe("refused");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exceptions_of_other_types_reach_the_host_unchanged(bool withHandler)
    {
        var thrown = new InvalidOperationException("not an argument problem");
        var handlerRan = false;
        await using var host = await Start(app =>
        {
            if (withHandler)
            {
                app.UseExceptionHandler((ArgumentException ex) => handlerRan = true);
            }

            app.MapGet("/boom", () => ThrowFromEndpoint(thrown));
        });

        // Without any handler the test host rethrows the endpoint's exception to the caller; a handler for
        // another type must change nothing about that.
        var caught = await Should.ThrowAsync<InvalidOperationException>(() => host.Scenario(_ => _.Get.Url("/boom")));

        caught.ShouldBeSameAs(thrown);
        caught.StackTrace.ShouldNotBeNull().ShouldContain(nameof(ThrowFromEndpoint));
        handlerRan.ShouldBeFalse();
    }

    [Fact]
    public async Task Exceptions_of_other_types_pass_to_an_outer_handler()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler(errorApp => errorApp.Run(context =>
                context.Response.WriteAsync("outer: " + context.Features.Get<IExceptionHandlerFeature>()!.Error.Message)));
            app.UseExceptionHandler((ArgumentException ex) => "inner: " + ex.Message);
            app.MapGet("/argument", () => ThrowFromEndpoint(new ArgumentException("bad argument")));
            app.MapGet("/invalid", () => ThrowFromEndpoint(new InvalidOperationException("bad state")));
        });

        var argument = await host.Scenario(_ =>
        {
            _.Get.Url("/argument");
            _.StatusCodeShouldBe(500);
        });
        var invalid = await host.Scenario(_ =>
        {
            _.Get.Url("/invalid");
            _.StatusCodeShouldBe(500);
        });

        argument.ReadAsText().ShouldBe("inner: bad argument");
        invalid.ReadAsText().ShouldBe("outer: bad state");
    }

    [Fact]
    public async Task Exceptions_of_other_types_pass_to_the_developer_exception_page()
    {
        await using var host = await Start(app =>
        {
            app.UseDeveloperExceptionPage();
            app.UseExceptionHandler((ArgumentException ex) => "inner");
            app.MapGet("/invalid", () => ThrowFromEndpoint(new InvalidOperationException("bad state")));
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/invalid");
            _.StatusCodeShouldBe(500);
        });

        result.ReadAsText().ShouldContain("System.InvalidOperationException: bad state");
    }

    [Fact]
    public async Task Handler_for_a_base_type_handles_derived_exceptions()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler((ArgumentException ex) => ex.GetType().Name);
            app.MapGet("/boom", () => ThrowFromEndpoint(new ArgumentNullException("name")));
        });

        var result = await host.Scenario(_ =>
        {
            _.Get.Url("/boom");
            _.StatusCodeShouldBe(500);
        });

        result.ReadAsText().ShouldBe(nameof(ArgumentNullException));
    }

    [Fact]
    public async Task Exception_after_the_response_started_passes_on_and_the_handler_does_not_run()
    {
        var thrown = new InvalidOperationException("too late");
        var passedOn = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerRan = false;
        await using var host = await Start(app =>
        {
            // The test host hands the response back once it has started, so what happens after is observed
            // here rather than through the client.
            app.Use(async (context, next) =>
            {
                try
                {
                    await next(context);
                    passedOn.TrySetResult(null);
                }
                catch (Exception ex)
                {
                    passedOn.TrySetResult(ex);
                }
            });
            app.UseExceptionHandler((Exception ex) => handlerRan = true);
            app.MapGet("/late", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("partial");
                await context.Response.Body.FlushAsync();
                ThrowFromEndpoint(thrown);
            });
        });

        await host.Scenario(_ => _.Get.Url("/late"));

        (await passedOn.Task).ShouldBeSameAs(thrown);
        handlerRan.ShouldBeFalse();
    }

    [Fact]
    public async Task Handler_that_throws_lets_the_original_exception_propagate_and_logs_its_own()
    {
        var logs = new LogSink();
        var thrown = new InvalidOperationException("original");
        var handlerFailure = new FormatException("the handler failed");
        await using var host = await Start(
            app =>
            {
                app.UseExceptionHandler(string (InvalidOperationException ex) => throw handlerFailure);
                app.MapGet("/boom", () => ThrowFromEndpoint(thrown));
            },
            logs: logs);

        var caught = await Should.ThrowAsync<InvalidOperationException>(() => host.Scenario(_ => _.Get.Url("/boom")));

        caught.ShouldBeSameAs(thrown);
        caught.StackTrace.ShouldNotBeNull().ShouldContain(nameof(ThrowFromEndpoint));
        logs.Entries.ShouldContain(e => e.EventName == "Exception" && e.Level == LogLevel.Error && e.Exception == handlerFailure);
    }

    [Fact]
    public async Task Full_executor_queue_answers_503_with_Retry_After()
    {
        var handlerRan = false;
        await using var host = await Start(
            app =>
            {
                app.UseExceptionHandler((Exception ex) => handlerRan = true);
                app.MapGet("/boom", () => ThrowFromEndpoint(new InvalidOperationException("boom")));
            },
            options: options =>
            {
                // One worker, no queue: while the worker is held, the executor is as full as it can be.
                options.MaxThreads = 1;
                options.QueueLimit = 0;
                options.RetryAfter = TimeSpan.FromSeconds(7);
            });

        using var release = new ManualResetEventSlim();
        var holding = host.Services.GetRequiredService<IRunSync>().RunAsync(release.Wait);
        try
        {
            await host.Scenario(_ =>
            {
                _.Get.Url("/boom");
                _.StatusCodeShouldBe(503);
                _.Header("Retry-After").SingleValueShouldEqual("7");
            });
        }
        finally
        {
            release.Set();
            await holding;
        }

        handlerRan.ShouldBeFalse();
    }

    [Fact]
    public async Task Aborted_request_is_not_logged_as_an_error()
    {
        var logs = new LogSink();
        var handlerRan = false;
        await using var host = await Start(
            app =>
            {
                app.UseExceptionHandler((Exception ex) => handlerRan = true);
                app.MapGet("/aborted", (HttpContext context) =>
                {
                    context.Abort();
                    context.RequestAborted.ThrowIfCancellationRequested();
                });
            },
            logs: logs);

        await Should.ThrowAsync<Exception>(() => host.Scenario(_ => _.Get.Url("/aborted")));

        // The client sees the abort at once; the middleware logs it when the handler's exception reaches it, a moment later.
        await TestHosts.WaitUntilAsync(
            () => logs.Entries.Any(e => e.Category == typeof(SyncContextExceptionHandlers).FullName && e.EventName == "RequestAborted"),
            "the aborted request to be logged");
        handlerRan.ShouldBeFalse();
        logs.Entries.ShouldNotContain(e => e.Category == typeof(SyncContextExceptionHandlers).FullName && e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Generator_entry_point_handles_its_exception_type_only()
    {
        await using var host = await Start(app =>
        {
            app.UseExceptionHandler(errorApp => errorApp.Run(context => context.Response.WriteAsync("outer")));
            SyncContextExceptionHandlers.Use<ArgumentException>(app, static (context, ex) => $"{Thread.CurrentThread.Name?.StartsWith("SyncContext #", StringComparison.Ordinal)} {ex.Message}");
            app.MapGet("/argument", () => ThrowFromEndpoint(new ArgumentException("bad argument")));
            app.MapGet("/invalid", () => ThrowFromEndpoint(new InvalidOperationException("bad state")));
        });

        var argument = await host.Scenario(_ =>
        {
            _.Get.Url("/argument");
            _.StatusCodeShouldBe(500);
        });
        var invalid = await host.Scenario(_ =>
        {
            _.Get.Url("/invalid");
            _.StatusCodeShouldBe(500);
        });

        argument.ReadAsText().ShouldBe("True bad argument");
        invalid.ReadAsText().ShouldBe("outer");
    }

    private sealed record SeenContext(bool AccessorSeesTheRequest, string? TraceIdentifier, string? AsyncLocal, string? Activity);

    private sealed record SeenFeature(bool SameError, bool SameFeature, string? Path, string? Endpoint, string? Id);
}
