using Alba;

namespace SyncContext.Tests.Routing;

/// <summary>What a client sees of a response, for comparing an app with and without OffloadSync.</summary>
internal sealed record Observed(int Status, string? ContentType, string Body)
{
    public static async Task<Observed> OfAsync(IAlbaHost host, Action<Scenario> request)
    {
        var result = await host.Scenario(_ =>
        {
            request(_);
            _.IgnoreStatusCode();
        });
        var response = result.Context.Response;
        return new Observed(response.StatusCode, response.ContentType, await result.ReadAsTextAsync());
    }
}
