using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// Finds the user's handler <see cref="Delegate"/> of a route-handler endpoint from inside a convention, which
/// the runtime <c>OffloadSync()</c> needs to rebuild the endpoint's request delegate around it.
/// </summary>
/// <remarks>
/// ASP.NET Core gives conventions the handler's <see cref="MethodInfo"/> (as metadata) but no public way to its
/// <see cref="Delegate"/>, whose target (a lambda's closure, an instance) the call needs. The request delegate RDF
/// built is a closure over that delegate, so it is read from there: a field holding a delegate whose method is the
/// endpoint's. Kept in this one type so that a change in ASP.NET Core breaks one place, at start-up, with a message
/// (a test guards it).
/// </remarks>
internal static class RouteHandlerLookup
{
    public static Delegate Find(RequestDelegate? requestDelegate, MethodInfo method, string? displayName)
    {
        if (requestDelegate?.Target is { } closure)
        {
            foreach (var field in closure.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (typeof(Delegate).IsAssignableFrom(field.FieldType) && field.GetValue(closure) is Delegate handler && handler.Method.Equals(method))
                {
                    return handler;
                }
            }
        }

        throw new InvalidOperationException(
            $"OffloadSync() cannot offload the endpoint '{displayName}' on this ASP.NET Core version ({typeof(RequestDelegateFactory).Assembly.GetName().Version}): " +
            "its request delegate does not expose the handler, or a convention replaced it. Let the SyncContext generator offload the endpoint " +
            "(it does so at compile time when <EnableSyncContextGenerator> is not false) instead of calling OffloadSync().");
    }
}
