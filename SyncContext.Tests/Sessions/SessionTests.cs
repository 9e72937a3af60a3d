using System.Net;

namespace SyncContext.Tests.Sessions;

/// <summary>
/// ASP.NET Core's sessions (<c>app.UseSession()</c>, <c>HttpContext.Session</c>) on the SQLite store, through a
/// real Kestrel and clients with cookie jars: Quart's open_session, save_session and make_null_session.
/// </summary>
public class SessionTests
{
    [Fact]
    public async Task A_session_cookie_brings_back_the_data_saved_in_the_sqlite_file()
    {
        await using var app = await SessionApp.StartAsync();
        var alice = app.NewClient();
        var bob = app.NewClient();

        (await GetAsync(alice, "/count")).ShouldBe("1");
        (await GetAsync(alice, "/count")).ShouldBe("2");
        (await GetAsync(bob, "/count")).ShouldBe("1");
        (await GetAsync(alice, "/count-lazy")).ShouldBe("3");
        (await GetAsync(alice, "/count-sync")).ShouldBe("4");
        (await GetAsync(alice, "/peek")).ShouldBe("4");

        File.Exists(app.DatabasePath).ShouldBeTrue();
        app.CountRows().ShouldBe(2);
    }

    [Theory]
    [InlineData("/count")]
    [InlineData("/count-lazy")]
    [InlineData("/count-sync")]
    public async Task Loading_and_saving_run_on_executor_threads_with_the_requests_context(string url)
    {
        await using var app = await SessionApp.StartAsync();
        var client = app.NewClient();
        await GetAsync(client, url, call: "first");

        (await GetAsync(client, url, call: "second")).ShouldBe("2");
        (await GetAsync(client, "/peek", call: "third")).ShouldBe("2");

        var calls = app.Store.Calls.ToArray();
        calls.Select(static c => $"{c.Call} {c.Operation}").ShouldBe(["first save", "second load", "second save", "third load", "third refresh"]);
        calls.ShouldAllBe(static c => c.Thread != null && c.Thread.StartsWith("SyncContext #", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_visitor_that_writes_nothing_costs_no_store_call()
    {
        await using var app = await SessionApp.StartAsync();

        (await GetAsync(app.NewClient(), "/plain")).ShouldBe("plain");
        (await GetAsync(app.NewClient(), "/peek")).ShouldBe("none");

        app.Store.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Twenty_clients_incrementing_their_own_counters_at_once_lose_nothing()
    {
        const int clients = 20, increments = 10;
        await using var app = await SessionApp.StartAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var counts = Enumerable.Range(0, clients).Select(async i =>
        {
            var client = app.NewClient();
            await start.Task;
            var last = "";
            for (var n = 0; n < increments; n++)
            {
                last = await GetAsync(client, (n % 3) switch { 0 => "/count", 1 => "/count-lazy", _ => "/count-sync" });
            }

            return last;
        }).ToArray();
        start.SetResult();

        (await Task.WhenAll(counts).WaitAsync(TimeSpan.FromSeconds(60))).ShouldAllBe(static c => c == "10");
        app.CountRows().ShouldBe(clients);
    }

    [Fact]
    public async Task A_store_that_throws_on_save_leaves_the_response_alone_logs_it_and_loses_only_that_change()
    {
        await using var app = await SessionApp.StartAsync();
        var alice = app.NewClient();
        var bob = app.NewClient();
        (await GetAsync(alice, "/count")).ShouldBe("1");
        (await GetAsync(bob, "/count")).ShouldBe("1");

        // As SessionMiddleware does with a commit that throws: the handler's answer stands, the error is logged.
        (await GetAsync(bob, "/count", fail: "save")).ShouldBe("2");
        (await GetAsync(alice, "/count")).ShouldBe("2");
        (await GetAsync(bob, "/count")).ShouldBe("2");

        var messages = app.Logs.Entries.Select(static e => e.Message).ToArray();
        messages.ShouldContain(static m => m.StartsWith("The session store ObservedSessionStore threw while saving session ", StringComparison.Ordinal)
            && m.EndsWith("; this request's session changes are lost, the response is unchanged and other sessions are not affected.", StringComparison.Ordinal));
        messages.ShouldContain("Error closing the session.");
        app.CountRows().ShouldBe(2);
    }

    [Theory]
    [InlineData("/count-lazy")]
    [InlineData("/count-sync")]
    public async Task A_store_that_throws_on_a_lazy_load_gives_an_unavailable_session_for_that_request_only(string url)
    {
        await using var app = await SessionApp.StartAsync();
        var client = app.NewClient();
        (await GetAsync(client, url)).ShouldBe("1");

        // make_null_session: IsAvailable is false, the write is ignored, nothing is saved, and it is logged.
        (await GetAsync(client, url, fail: "load")).ShouldBe("unavailable");
        (await GetAsync(client, url)).ShouldBe("2");

        app.Logs.Entries.Select(static e => e.Message).ShouldContain(static m =>
            m.StartsWith("The session store ObservedSessionStore threw while loading session ", StringComparison.Ordinal));
        app.Store.Calls.Count(static c => c.Operation == "save").ShouldBe(2);
    }

    [Fact]
    public async Task A_store_that_throws_in_LoadAsync_fails_the_request_as_AspNetCore_does()
    {
        await using var app = await SessionApp.StartAsync();
        var client = app.NewClient();
        (await GetAsync(client, "/count")).ShouldBe("1");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/count");
        request.Headers.Add("X-Fail", "load");
        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await GetAsync(client, "/count")).ShouldBe("2");
    }

    [Fact]
    public async Task A_session_expires_after_the_idle_timeout_and_each_request_slides_it()
    {
        await using var app = await SessionApp.StartAsync(idleTimeout: TimeSpan.FromMinutes(20));
        var client = app.NewClient();
        (await GetAsync(client, "/count")).ShouldBe("1");

        app.Clock.Advance(TimeSpan.FromMinutes(15));
        (await GetAsync(client, "/peek")).ShouldBe("1");
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        (await GetAsync(client, "/peek")).ShouldBe("1");

        app.Clock.Advance(TimeSpan.FromMinutes(21));
        (await GetAsync(client, "/peek")).ShouldBe("none");
        (await GetAsync(client, "/count")).ShouldBe("1");
    }

    private static async Task<string> GetAsync(HttpClient client, string url, string? call = null, string? fail = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (call is not null)
        {
            request.Headers.Add("X-Call", call);
        }

        if (fail is not null)
        {
            request.Headers.Add("X-Fail", fail);
        }

        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }
}
