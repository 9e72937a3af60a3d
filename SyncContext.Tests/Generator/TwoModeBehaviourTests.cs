using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SyncContext.Tests.Generator;

public sealed class TwoModeApps : IAsyncLifetime
{
    public CompiledApp Generated { get; private set; } = null!;

    public CompiledApp RuntimeOnly { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Generated = await CompiledApp.StartAsync(BehaviourProgram.Source, generatorEnabled: true);
        RuntimeOnly = await CompiledApp.StartAsync(BehaviourProgram.Source, generatorEnabled: false);
    }

    public async Task DisposeAsync()
    {
        await Generated.DisposeAsync();
        await RuntimeOnly.DisposeAsync();
    }
}

/// <summary>
/// One app, two modes (the idea of RDG's RequestDelegateCreationTestBase): generator on, and runtime-only with
/// <c>.OffloadSync()</c> on the groups. Every shape must answer byte for byte the same, with the same endpoint
/// metadata, and the generator mode must run each synchronous handler on the executor.
/// </summary>
public class TwoModeBehaviourTests(TwoModeApps apps) : IClassFixture<TwoModeApps>
{
    public static TheoryData<string, string, string, string?> Requests => new()
    {
        // probe key, method, url, JSON body or header value
        { "none", "GET", "/api/none", null },
        { "route", "GET", "/api/route/21", null },
        { "query", "GET", "/api/query?q=abc&n=3", null },
        { "header", "GET", "/api/header", "X-Name: Ada" },
        { "json", "POST", "/api/json", """{"id":1,"title":"write tests"}""" },
        { "service", "GET", "/api/service", null },
        { "context", "GET", "/api/context", null },
        { "token", "GET", "/api/token", null },
        { "asparameters", "GET", "/api/asparameters?page=2&size=5", null },
        { "defaults", "GET", "/api/defaults", null },
        { "nullable", "GET", "/api/nullable", null },
        { "params", "GET", "/api/params?tags=a&tags=b", null },
        { "static", "GET", "/api/static/4", null },
        { "instance", "GET", "/api/instance?name=n", null },
        { "local", "GET", "/api/local", null },
        { "captured", "GET", "/api/captured", null },
        { "void", "GET", "/api/void", null },
        { "typed", "GET", "/api/typed", null },
        { "iresult", "GET", "/api/iresult", null },
        { "union", "GET", "/api/union/1", null },
        { "union", "GET", "/api/union/2", null },
        { "put", "PUT", "/api/todos/3", """{"id":0,"title":"put"}""" },
        { "delete", "DELETE", "/api/todos/3", null },
        { "patch", "PATCH", "/api/todos/3", null },
        { "methods", "GET", "/api/methods", null },
        { "any", "POST", "/api/any", null },
        { "fallback", "GET", "/api/no/such/page", null },
        { "default fallback", "GET", "/pages/welcome", null },
        { "method fallback", "GET", "/files/a/b.txt", null },
        { "static form", "GET", "/api/static-form", null },
        { "delegate variable", "GET", "/api/delegate/5", null },
        { "delegate wrapper", "GET", "/api/legacy?q=old", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Both_modes_answer_the_same_and_the_generator_runs_the_handler_on_the_executor(string probe, string method, string url, string? payload)
    {
        apps.Generated.Threads.TryRemove(probe, out _);

        var generated = await SendAsync(apps.Generated, method, url, payload);
        var runtimeOnly = await SendAsync(apps.RuntimeOnly, method, url, payload);

        generated.Status.ShouldBe(runtimeOnly.Status);
        generated.Headers.ShouldBe(runtimeOnly.Headers);
        generated.Body.ShouldBe(runtimeOnly.Body);
        apps.Generated.Threads[probe].ShouldStartWith("SyncContext #");
        apps.RuntimeOnly.Threads[probe].ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Filters_added_after_the_Map_call_still_see_the_handler_run_on_the_executor()
    {
        apps.Generated.Threads.TryRemove("filtered", out _);

        var response = await apps.Generated.Client.GetStringAsync("/api/filtered");

        response.ShouldBe("filtered");
        apps.Generated.Threads["filtered"].ShouldStartWith("SyncContext #");
    }

    [Fact]
    public async Task Async_handlers_are_left_on_the_request_threads()
    {
        apps.Generated.Threads.TryRemove("async", out _);

        (await apps.Generated.Client.GetStringAsync("/api/async")).ShouldBe("async");

        apps.Generated.Threads["async"].ShouldNotStartWith("SyncContext");
    }

    [Theory]
    [InlineData("delegate async", "/api/delegate-async", 200)]
    [InlineData("wrapper async", "/api/legacy-async", 201)]
    public async Task Async_handlers_typed_Delegate_are_mapped_as_without_the_package(string probe, string url, int status)
    {
        apps.Generated.Threads.TryRemove(probe, out _);

        var generated = await SendAsync(apps.Generated, "GET", url, null);
        var runtimeOnly = await SendAsync(apps.RuntimeOnly, "GET", url, null);

        generated.Status.ShouldBe(status);
        generated.Body.ShouldBe(System.Text.Encoding.UTF8.GetBytes(probe));
        generated.Headers.ShouldBe(runtimeOnly.Headers);
        apps.Generated.Threads[probe].ShouldNotStartWith("SyncContext");
    }

    [Fact]
    public void Endpoints_carry_the_same_metadata_in_both_modes()
    {
        var generated = Describe(apps.Generated);
        var runtimeOnly = Describe(apps.RuntimeOnly);

        generated.Keys.ShouldBe(runtimeOnly.Keys, ignoreOrder: true);
        foreach (var (route, description) in generated)
        {
            description.ShouldBe(runtimeOnly[route], route);
        }

        generated["GET /api/authorized"].ShouldContain("authorize: True");
        generated["GET /api/static/{id:int}"].ShouldContain("method: Static");
        generated["GET /api/instance"].ShouldContain("method: Instance");
        generated["* /files/{*rest}"].ShouldContain("display: Fallback /files/{*rest} => Files");
    }

    private static Dictionary<string, string> Describe(CompiledApp app)
        => ((IEndpointRouteBuilder)app.App).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .ToDictionary(
                endpoint => $"{string.Join(",", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText}",
                endpoint => string.Join(
                    Environment.NewLine,
                    $"display: {endpoint.DisplayName}",
                    $"order: {endpoint.Order}",
                    $"method: {endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.Name}",
                    $"authorize: {endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null}",
                    $"parameters: {string.Join(",", endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters().Select(p => p.Name) ?? [])}",
                    $"metadata: {string.Join(",", endpoint.Metadata.Select(item => item.GetType().Name))}"));

    private static async Task<(int Status, string Headers, byte[] Body)> SendAsync(CompiledApp app, string method, string url, string? payload)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (payload is not null && payload.StartsWith('{'))
        {
            request.Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json");
        }
        else if (payload is not null)
        {
            var (name, value) = (payload[..payload.IndexOf(':')], payload[(payload.IndexOf(':') + 1)..].Trim());
            request.Headers.Add(name, value);
        }

        using var response = await app.Client.SendAsync(request);
        var headers = string.Join(
            Environment.NewLine,
            response.Headers.Concat(response.Content.Headers)
                .OrderBy(header => header.Key, StringComparer.OrdinalIgnoreCase)
                .Select(header => $"{header.Key}: {string.Join(",", header.Value)}"));
        return ((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }
}
