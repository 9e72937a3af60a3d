namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// Keeps a synchronous minimal-API handler inline on the request thread: it is not run on the SyncContext executor,
/// whatever would otherwise offload it (the generator, an <c>OffloadSync()</c> on the endpoint or a group, the automatic
/// offload of an app built with the Request Delegate Generator). For handlers known to be trivial, where the hop to the
/// executor costs more than the work. The same as <c>.DisableOffloadSync()</c> on the endpoint.
/// </summary>
/// <remarks>
/// Put it on the lambda (<c>app.MapGet("/ping", [DisableOffloadSync] () =&gt; "pong")</c>) or on the method of a method
/// group. The generator reads it at compile time and leaves that call as ASP.NET Core's own; ASP.NET Core adds it to
/// the endpoint's metadata, where the runtime reads it. On an MVC controller action, or on the controller class for all
/// its actions, it keeps the action on the request thread under <c>MapControllers().OffloadSync()</c>; on a Razor Pages
/// handler method, or on the page model (or the page, with <c>@attribute</c>) for all its handlers, under
/// <c>MapRazorPages().OffloadSync()</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class DisableOffloadSyncAttribute : Attribute
{
    /// <summary>The instance <c>.DisableOffloadSync()</c> adds to an endpoint's metadata.</summary>
    internal static readonly DisableOffloadSyncAttribute Instance = new();

    /// <summary>Whether <paramref name="endpointMetadata"/> opts the endpoint out of the offload.</summary>
    internal static bool IsIn(IEnumerable<object> endpointMetadata)
    {
        foreach (var item in endpointMetadata)
        {
            if (item is DisableOffloadSyncAttribute)
            {
                return true;
            }
        }

        return false;
    }
}
