using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SyncContext.Tests.Routing;

namespace SyncContext.Tests.Hooks;

/// <summary>WebSocket hooks against a real Kestrel on 127.0.0.1, driven by a real <see cref="ClientWebSocket"/>.</summary>
public class WebSocketHookTests
{
    private static readonly AsyncLocal<string?> s_fromMiddleware = new();

    [Fact]
    public async Task Sync_websocket_hooks_run_on_SyncContext_threads_with_the_requests_context_and_async_ones_stay_put()
    {
        var seen = new ConcurrentQueue<string>();
        var tornDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelApp.StartAsync(withSyncContext: true, app =>
        {
            app.UseWebSockets();
            app.Use((context, next) =>
            {
                s_fromMiddleware.Value = "set by earlier middleware";
                return next(context);
            });
            app.UseBeforeWebSocket((IRequestContext request, IHttpContextAccessor accessor, HttpContext context) =>
                Record(seen, "before", request.Path, ReferenceEquals(accessor.HttpContext, context)));
            app.UseBeforeWebSocket(async (HttpContext context) =>
            {
                await Task.Yield();
                seen.Enqueue($"async before on the pool: {Thread.CurrentThread.IsThreadPoolThread}");
            });
            app.UseAfterWebSocket((IRequestContext request, IHttpContextAccessor accessor, HttpContext context) =>
                Record(seen, "after", request.Path, ReferenceEquals(accessor.HttpContext, context)));
            app.UseTeardownWebSocket((IRequestContext request, IHttpContextAccessor accessor, HttpContext context, Exception? error) =>
            {
                Record(seen, $"teardown ({error?.Message ?? "no error"})", request.Path, ReferenceEquals(accessor.HttpContext, context));
                tornDown.SetResult();
            });
            MapEcho(app, "/ws");
        });

        (await EchoAsync(app, "/ws", "hello")).ShouldBe("echo: hello");
        await tornDown.Task.WaitAsync(TestHosts.HangGuard);

        seen.ShouldBe([
            "before on SyncContext: /ws, accessor True, async-local 'set by earlier middleware'",
            "async before on the pool: True",
            "after on SyncContext: /ws, accessor True, async-local 'set by earlier middleware'",
            "teardown (no error) on SyncContext: /ws, accessor True, async-local 'set by earlier middleware'",
        ]);
    }

    [Fact]
    public async Task Websocket_hooks_run_in_Quart_order_app_around_group_before_in_order_after_and_teardown_reversed()
    {
        var order = new ConcurrentQueue<string>();
        var tornDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelApp.StartAsync(withSyncContext: true, app =>
        {
            app.UseWebSockets();
            app.UseBeforeWebSocket(() => order.Enqueue("app before 1"));
            app.UseAfterWebSocket(() => order.Enqueue("app after 1"));
            app.UseTeardownWebSocket(() =>
            {
                order.Enqueue("app teardown 1");
                tornDown.SetResult();
            });
            app.UseBeforeWebSocket(() => order.Enqueue("app before 2"));
            app.UseAfterWebSocket(() => order.Enqueue("app after 2"));
            app.UseTeardownWebSocket(() => order.Enqueue("app teardown 2"));

            var group = app.MapGroup("/chat")
                .AddBeforeWebSocket(() => order.Enqueue("group before"))
                .AddAfterWebSocket(() => order.Enqueue("group after"))
                .AddTeardownWebSocket(() => order.Enqueue("group teardown"));
            MapEcho(group, "/ws", () => order.Enqueue("handler"));
        });

        (await EchoAsync(app, "/chat/ws", "hi")).ShouldBe("echo: hi");
        await tornDown.Task.WaitAsync(TestHosts.HangGuard);

        order.ShouldBe([
            "app before 1", "app before 2", "group before",
            "handler",
            "group after", "app after 2", "app after 1",
            "group teardown", "app teardown 2", "app teardown 1",
        ]);
    }

    [Fact]
    public async Task Before_websocket_hook_that_returns_a_result_refuses_the_upgrade_with_it_and_teardown_still_runs()
    {
        var handlerRan = false;
        var tornDown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelApp.StartAsync(withSyncContext: true, app =>
        {
            app.UseWebSockets();
            app.UseBeforeWebSocket((HttpRequest request) => request.Query.ContainsKey("token") ? null : Results.Text("no token", statusCode: 403));
            app.UseAfterWebSocket((HttpResponse response) => response.Headers["X-After-WebSocket"] = "ran");
            app.UseTeardownWebSocket((HttpResponse response) => tornDown.SetResult($"teardown saw {response.StatusCode}"));
            MapEcho(app, "/ws", () => handlerRan = true);
        });

        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        await Should.ThrowAsync<WebSocketException>(() => refused.ConnectAsync(WebSocketUri(app, "/ws"), CancellationToken.None).WaitAsync(TestHosts.HangGuard));

        refused.HttpStatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.HttpResponseHeaders.ShouldNotBeNull()["X-After-WebSocket"].ShouldBe(["ran"]);
        (await tornDown.Task.WaitAsync(TestHosts.HangGuard)).ShouldBe("teardown saw 403");
        handlerRan.ShouldBeFalse();

        (await EchoAsync(app, "/ws?token=1", "let in")).ShouldBe("echo: let in");
        handlerRan.ShouldBeTrue();
    }

    [Fact]
    public async Task Teardown_websocket_hooks_always_run_with_the_handlers_exception_and_one_that_throws_does_not_stop_the_others()
    {
        var tornDown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelApp.StartAsync(withSyncContext: true, app =>
        {
            app.UseWebSockets();
            app.UseTeardownWebSocket((InvalidOperationException? error) => tornDown.SetResult($"{error?.Message} on {Thread.CurrentThread.Name![..11]}"));
            app.UseTeardownWebSocket(() => { throw new InvalidOperationException("the teardown hook's own failure"); });
            app.Map("/ws", async (HttpContext context) =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await ReceiveAsync(socket);
                throw new InvalidOperationException("the handler failed");
            });
        });

        using var client = new ClientWebSocket();
        await client.ConnectAsync(WebSocketUri(app, "/ws"), CancellationToken.None).WaitAsync(TestHosts.HangGuard);
        await client.SendAsync(Encoding.UTF8.GetBytes("boom"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        (await tornDown.Task.WaitAsync(TestHosts.HangGuard)).ShouldBe("the handler failed on SyncContext");
    }

    [Fact]
    public async Task Request_hooks_skip_websocket_requests_and_websocket_hooks_skip_plain_requests()
    {
        var ran = new ConcurrentQueue<string>();
        await using var app = await KestrelApp.StartAsync(withSyncContext: true, app =>
        {
            // The hooks come before UseWebSockets here, so they must tell a WebSocket request from the request itself.
            app.UseBeforeRequest((HttpRequest request) => ran.Enqueue($"before-request {request.Path}"));
            app.UseTeardownRequest((HttpRequest request) => ran.Enqueue($"teardown-request {request.Path}"));
            app.UseBeforeWebSocket((HttpRequest request) => ran.Enqueue($"before-websocket {request.Path}"));
            app.UseTeardownWebSocket((HttpRequest request) => ran.Enqueue($"teardown-websocket {request.Path}"));
            app.UseWebSockets();
            var group = app.MapGroup("/g")
                .AddBeforeRequest((HttpRequest request) => ran.Enqueue($"group before-request {request.Path}"))
                .AddBeforeWebSocket((HttpRequest request) => ran.Enqueue($"group before-websocket {request.Path}"));
            MapEcho(group, "/ws");
            group.MapGet("/plain", () => "plain");
        });

        (await EchoAsync(app, "/g/ws", "x")).ShouldBe("echo: x");
        await TestHosts.WaitUntilAsync(() => ran.Contains("teardown-websocket /g/ws"), "the websocket's teardown");
        ran.ShouldBe(["before-websocket /g/ws", "group before-websocket /g/ws", "teardown-websocket /g/ws"]);

        ran.Clear();
        (await app.Client.GetStringAsync("/g/plain")).ShouldBe("plain");
        await TestHosts.WaitUntilAsync(() => ran.Contains("teardown-request /g/plain"), "the request's teardown");
        ran.ShouldBe(["before-request /g/plain", "group before-request /g/plain", "teardown-request /g/plain"]);
    }

    private static void Record(ConcurrentQueue<string> seen, string hook, string path, bool accessorIsTheRequest)
        => seen.Enqueue($"{hook} on {Thread.CurrentThread.Name?[..Math.Min(11, Thread.CurrentThread.Name.Length)]}: {path}, accessor {accessorIsTheRequest}, async-local '{s_fromMiddleware.Value}'");

    /// <summary>An endpoint that accepts the socket, answers one message with "echo: ..." and closes.</summary>
    private static void MapEcho(IEndpointRouteBuilder routes, string pattern, Action? onHandler = null)
        => routes.Map(pattern, async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            onHandler?.Invoke();
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var message = await ReceiveAsync(socket);
            await socket.SendAsync(Encoding.UTF8.GetBytes($"echo: {message}"), WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
        });

    private static async Task<string> EchoAsync(KestrelApp app, string path, string message)
    {
        using var client = new ClientWebSocket();
        await client.ConnectAsync(WebSocketUri(app, path), CancellationToken.None).WaitAsync(TestHosts.HangGuard);
        await client.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var answer = await ReceiveAsync(client).WaitAsync(TestHosts.HangGuard);
        var closed = await client.ReceiveAsync(new byte[16], CancellationToken.None).WaitAsync(TestHosts.HangGuard);
        closed.MessageType.ShouldBe(WebSocketMessageType.Close);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        return answer;
    }

    private static async Task<string> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    private static Uri WebSocketUri(KestrelApp app, string path)
        => new(new Uri(app.Client.BaseAddress!.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), path);
}
