using System.Collections.Concurrent;
using System.Security.Claims;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.Tests.ErrorHandling;
using SyncContext.Tests.Routing;

namespace SyncContext.Tests.Hooks;

public class RequestHookTests
{
    private static readonly AsyncLocal<string?> s_fromMiddleware = new();

    [Fact]
    public async Task Sync_hooks_run_on_SyncContext_threads_with_the_requests_context()
    {
        var seen = new ConcurrentQueue<string>();
        var tornDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                s_fromMiddleware.Value = "set by earlier middleware";
                return next(context);
            });
            app.UseBeforeRequest((IRequestContext request, IHttpContextAccessor accessor, HttpContext context) =>
                Record(seen, "before", request.Path, ReferenceEquals(accessor.HttpContext, context)));
            app.UseAfterRequest((IRequestContext request, IHttpContextAccessor accessor, HttpContext context) =>
                Record(seen, "after", request.Path, ReferenceEquals(accessor.HttpContext, context)));
            app.UseTeardownRequest((IRequestContext request, IHttpContextAccessor accessor, HttpContext context) =>
            {
                Record(seen, "teardown", request.Path, ReferenceEquals(accessor.HttpContext, context));
                tornDown.SetResult();
            });
            app.MapGet("/hello", () => "hello");
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/hello");
            _.ContentShouldBe("hello");
        });
        await tornDown.Task.WaitAsync(TestHosts.HangGuard);

        seen.Count.ShouldBe(3);
        foreach (var entry in seen)
        {
            entry.ShouldMatch(@"^(before|after|teardown) on SyncContext #\d+: /hello, accessor True, async-local 'set by earlier middleware'$");
        }
    }

    [Fact]
    public async Task Hooks_run_in_Quart_order_app_around_group_before_in_order_after_and_teardown_reversed()
    {
        var order = new ConcurrentQueue<string>();
        var tornDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseBeforeRequest(() => order.Enqueue("app before 1"));
            app.UseAfterRequest(() => order.Enqueue("app after 1"));
            app.UseTeardownRequest(() =>
            {
                order.Enqueue("app teardown 1");
                tornDown.SetResult();
            });
            app.UseBeforeRequest(() => order.Enqueue("app before 2"));
            app.UseAfterRequest(() => order.Enqueue("app after 2"));
            app.UseTeardownRequest(() => order.Enqueue("app teardown 2"));

            var outer = app.MapGroup("/outer")
                .AddBeforeRequest(() => order.Enqueue("outer before"))
                .AddAfterRequest(() => order.Enqueue("outer after"))
                .AddTeardownRequest(() => order.Enqueue("outer teardown"));
            outer.MapGroup("/inner")
                .AddBeforeRequest(() => order.Enqueue("inner before"))
                .AddAfterRequest(() => order.Enqueue("inner after"))
                .AddTeardownRequest(() => order.Enqueue("inner teardown"))
                .MapGet("/x", () => order.Enqueue("endpoint"));
        });

        await host.Scenario(_ => _.Get.Url("/outer/inner/x"));
        await tornDown.Task.WaitAsync(TestHosts.HangGuard);

        order.ShouldBe([
            "app before 1", "app before 2", "outer before", "inner before",
            "endpoint",
            "inner after", "outer after", "app after 2", "app after 1",
            "inner teardown", "outer teardown", "app teardown 2", "app teardown 1",
        ]);
    }

    [Fact]
    public async Task Before_hook_that_returns_a_result_answers_the_request_and_later_hooks_and_the_endpoint_do_not_run_but_after_hooks_do()
    {
        var ran = new ConcurrentQueue<string>();
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseAfterRequest((HttpResponse response) => response.Headers["X-After"] = "ran");
            app.UseBeforeRequest((HttpRequest request) => request.Headers.ContainsKey("X-Key") ? null : Results.Problem("no key", statusCode: 401));
            app.UseBeforeRequest(() => ran.Enqueue("second before"));
            app.MapGet("/secret", () =>
            {
                ran.Enqueue("endpoint");
                return "secret";
            });
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/secret");
            _.StatusCodeShouldBe(401);
            _.ContentTypeShouldBe("application/problem+json");
            _.Header("X-After").SingleValueShouldEqual("ran");
        });
        ran.ShouldBeEmpty();

        await host.Scenario(_ =>
        {
            _.Get.Url("/secret");
            _.WithRequestHeader("X-Key", "1");
            _.ContentShouldBe("secret");
            _.Header("X-After").SingleValueShouldEqual("ran");
        });
        ran.ShouldBe(["second before", "endpoint"]);
    }

    [Fact]
    public async Task Before_hook_string_or_object_results_are_written_as_minimal_APIs_write_them()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.MapGroup("/text").AddBeforeRequest(() => "from the hook").MapGet("/", () => "endpoint");
            app.MapGroup("/json").AddBeforeRequest(() => new { From = "hook" }).MapGet("/", () => "endpoint");
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/text");
            _.ContentTypeShouldBe("text/plain; charset=utf-8");
            _.ContentShouldBe("from the hook");
        });
        await host.Scenario(_ =>
        {
            _.Get.Url("/json");
            _.ContentTypeShouldBe("application/json; charset=utf-8");
            _.ContentShouldBe("""{"from":"hook"}""");
        });
    }

    [Fact]
    public async Task After_hook_changes_status_and_headers_of_bodyless_written_and_streamed_responses()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseAfterRequest((HttpContext context) =>
            {
                context.Response.Headers["X-Seen-Status"] = context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (context.Request.Path == "/empty")
                {
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                }
            });
            app.MapGet("/empty", () => Results.NoContent());
            app.MapGet("/written", () => Results.Text("body", statusCode: 201));
            app.MapGet("/streamed", async (HttpResponse response) =>
            {
                await response.WriteAsync("first ");
                await response.Body.FlushAsync();
                await response.WriteAsync("second");
            });
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/empty");
            _.StatusCodeShouldBe(202);
            _.Header("X-Seen-Status").SingleValueShouldEqual("204");
        });
        await host.Scenario(_ =>
        {
            _.Get.Url("/written");
            _.StatusCodeShouldBe(201);
            _.ContentShouldBe("body");
            _.Header("X-Seen-Status").SingleValueShouldEqual("201");
        });
        await host.Scenario(_ =>
        {
            _.Get.Url("/streamed");
            _.ContentShouldBe("first second");
            _.Header("X-Seen-Status").SingleValueShouldEqual("200");
        });
    }

    [Fact]
    public async Task Hook_that_throws_goes_to_the_error_handler_and_teardown_sees_the_exception()
    {
        var teardown = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseExceptionHandler((InvalidOperationException ex) => Results.Text("handled: " + ex.Message, statusCode: 418));
            app.UseTeardownRequest((Exception? error) => teardown.SetResult(error?.Message));
            app.UseBeforeRequest(string? (HttpRequest request) => request.Path == "/before" ? throw new InvalidOperationException("before failed") : null);
            app.UseAfterRequest((HttpRequest request) =>
            {
                if (request.Path == "/after")
                {
                    throw new InvalidOperationException("after failed");
                }
            });
            app.MapGet("/before", () => "endpoint");
            app.MapGet("/after", () => Results.NoContent());
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/before");
            _.StatusCodeShouldBe(418);
            _.ContentShouldBe("handled: before failed");
        });
        (await teardown.Task.WaitAsync(TestHosts.HangGuard)).ShouldBe("before failed");

        teardown = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await host.Scenario(_ =>
        {
            _.Get.Url("/after");
            _.StatusCodeShouldBe(418);
            _.ContentShouldBe("handled: after failed");
        });
        (await teardown.Task.WaitAsync(TestHosts.HangGuard)).ShouldBe("after failed");
    }

    [Fact]
    public async Task Teardown_gets_the_endpoints_exception_and_null_for_success()
    {
        var errors = new ConcurrentQueue<string>();
        var count = 0;
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseExceptionHandler((FormatException ex) => Results.StatusCode(500));
            app.UseTeardownRequest((FormatException? error, HttpRequest request) =>
            {
                errors.Enqueue($"{request.Path}: {error?.Message ?? "none"}");
                if (Interlocked.Increment(ref count) == 2)
                {
                    both.SetResult();
                }
            });
            app.MapGet("/ok", () => "ok");
            app.MapGet("/fail", string () => throw new FormatException("bad format"));
        });

        await host.Scenario(_ => _.Get.Url("/ok"));
        await host.Scenario(_ =>
        {
            _.Get.Url("/fail");
            _.StatusCodeShouldBe(500);
        });
        await both.Task.WaitAsync(TestHosts.HangGuard);

        errors.ShouldBe(["/ok: none", "/fail: bad format"]);
    }

    [Fact]
    public async Task A_client_that_leaves_cancels_the_token_of_the_running_before_hook_and_the_teardown_still_runs()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saw = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tornDown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelApp.StartAsync(withSyncContext: true, app =>
        {
            app.UseBeforeRequest((CancellationToken aborted) =>
            {
                started.SetResult();
                var cancelled = aborted.WaitHandle.WaitOne(TestHosts.HangGuard);
                saw.SetResult($"cancelled {cancelled} on {Thread.CurrentThread.Name![..11]}");
            });
            app.UseTeardownRequest((CancellationToken aborted) => tornDown.SetResult($"{Thread.CurrentThread.Name![..11]}, aborted {aborted.IsCancellationRequested}"));
            app.MapGet("/", () => "answered");
        });

        using var leaving = new CancellationTokenSource();
        var request = app.Client.GetAsync("/", leaving.Token);
        await started.Task.WaitAsync(TestHosts.HangGuard);
        leaving.Cancel();

        await Should.ThrowAsync<OperationCanceledException>(() => request);
        (await saw.Task.WaitAsync(TestHosts.HangGuard)).ShouldBe("cancelled True on SyncContext");
        (await tornDown.Task.WaitAsync(TestHosts.HangGuard)).ShouldBe("SyncContext, aborted True");
    }

    [Fact]
    public async Task Teardown_hook_that_throws_is_logged_and_the_other_teardown_hooks_still_run()
    {
        var logs = new LogSink();
        var ranFirstAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.UseTeardownRequest(() => ranFirstAdded.SetResult());
                app.UseTeardownRequest(void () => throw new InvalidOperationException("teardown failed"));
                app.MapGet("/", () => "fine");
            },
            services: builder => builder.Logging.AddProvider(logs));

        await host.Scenario(_ =>
        {
            _.Get.Url("/");
            _.StatusCodeShouldBe(200);
            _.ContentShouldBe("fine");
        });
        await ranFirstAdded.Task.WaitAsync(TestHosts.HangGuard);

        var failure = logs.Entries.Where(entry => entry.Level >= LogLevel.Warning).ShouldHaveSingleItem();
        failure.EventName.ShouldBe("TeardownRequestHookFailed");
        failure.Level.ShouldBe(LogLevel.Error);
        failure.Exception!.Message.ShouldBe("teardown failed");
    }

    [Fact]
    public async Task Async_hooks_run_where_they_are_called_not_on_the_executor()
    {
        var threads = new ConcurrentQueue<string>();
        var tornDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseBeforeRequest(Task<IResult?> () =>
            {
                threads.Enqueue(Thread.CurrentThread.Name ?? "pool");
                return Task.FromResult<IResult?>(null);
            });
            app.UseAfterRequest(ValueTask () =>
            {
                threads.Enqueue(Thread.CurrentThread.Name ?? "pool");
                return ValueTask.CompletedTask;
            });
            app.UseTeardownRequest(Task () =>
            {
                threads.Enqueue(Thread.CurrentThread.Name ?? "pool");
                tornDown.SetResult();
                return Task.CompletedTask;
            });
            app.MapGet("/", () => "fine");
        });

        await host.Scenario(_ => _.Get.Url("/"));
        await tornDown.Task.WaitAsync(TestHosts.HangGuard);

        threads.Count.ShouldBe(3);
        threads.ShouldAllBe(name => !name.StartsWith("SyncContext", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Async_before_hook_result_short_circuits_too()
    {
        await using var host = await TestHosts.StartAsync(app =>
        {
            app.UseBeforeRequest(async (HttpRequest request) =>
            {
                await Task.Yield();
                return Results.StatusCode(403);
            });
            app.MapGet("/", () => "endpoint");
        });

        await host.Scenario(_ =>
        {
            _.Get.Url("/");
            _.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task Hooks_bind_request_pieces_keyed_services_and_the_token()
    {
        await using var host = await TestHosts.StartAsync(
            app =>
            {
                app.UseBeforeRequest((HttpRequest request, HttpResponse response, ClaimsPrincipal user, IAppContext application, [FromKeyedServices("greeting")] string greeting, CancellationToken aborted) =>
                    $"{request.Method} {response.StatusCode} {user.Identity?.IsAuthenticated} {application.ApplicationName.Length > 0} {greeting} {aborted.CanBeCanceled}");
                app.MapGet("/", () => "endpoint");
            },
            services: builder => builder.Services.AddKeyedSingleton("greeting", "hi"));

        await host.Scenario(_ =>
        {
            _.Get.Url("/");
            _.ContentShouldBe("GET 200 False True hi True");
        });
    }

    [Fact]
    public async Task Unbindable_hook_parameters_fail_at_the_call_naming_them()
    {
        await using var host = await TestHosts.StartAsync(app => { });
        var app = (IApplicationBuilder)new ApplicationBuilderStub(host.Services);

        Should.Throw<InvalidOperationException>(() => app.UseBeforeRequest((string customerName) => customerName))
            .Message.ShouldContain("UseBeforeRequest cannot bind the before-request hook's parameter 'customerName' of type String");
        Should.Throw<InvalidOperationException>(() => app.UseBeforeRequest((InvalidOperationException error) => "x"))
            .Message.ShouldContain("'error'");
        Should.Throw<InvalidOperationException>(() => app.UseTeardownRequest(([FromKeyedServices("missing")] string value) => { }))
            .Message.ShouldContain("'value'");
        Should.Throw<InvalidOperationException>(() => app.UseAfterRequest((HttpContext context) => Task.Yield()))
            .Message.ShouldContain("YieldAwaitable");
    }

    private static void Record(ConcurrentQueue<string> seen, string hook, string path, bool accessorSeesTheRequest)
        => seen.Enqueue($"{hook} on {Thread.CurrentThread.Name ?? "pool"}: {path}, accessor {accessorSeesTheRequest}, async-local '{s_fromMiddleware.Value}'");

    /// <summary>A pipeline builder over a started host's services, for the start-up checks.</summary>
    private sealed class ApplicationBuilderStub(IServiceProvider services) : IApplicationBuilder
    {
        public IServiceProvider ApplicationServices { get; set; } = services;

        public Microsoft.AspNetCore.Http.Features.IFeatureCollection ServerFeatures { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public IDictionary<string, object?> Properties { get; } = new Dictionary<string, object?>();

        public RequestDelegate Build() => _ => Task.CompletedTask;

        public IApplicationBuilder New() => this;

        public IApplicationBuilder Use(Func<RequestDelegate, RequestDelegate> middleware) => this;
    }
}
