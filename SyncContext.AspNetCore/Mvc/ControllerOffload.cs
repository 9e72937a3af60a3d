using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Controllers;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Mvc;

/// <summary>
/// What <c>OffloadSync()</c> does to an MVC controller endpoint: a synchronous action's method runs on the executor.
/// </summary>
/// <remarks>
/// The seam is the one MVC itself offers at the action method: an endpoint filter on a controller endpoint is run by
/// MVC's action method executor, in place of the bare method call, after model binding, validation and every MVC filter
/// (authorization, resource, action, <c>[ApiController]</c>'s 400) and before the result is converted and executed. This
/// filter calls the rest of that pipeline, which for a synchronous action is only the method and the conversion of what
/// it returned (and any endpoint filter added after <c>OffloadSync()</c>), on an executor thread. Binding,
/// filters, results and exceptions are MVC's own; only the thread that runs the method differs. Razor Pages ignore
/// endpoint filters and are offloaded at their handler method instead (<see cref="PageOffload"/>).
/// </remarks>
internal static class ControllerOffload
{
    internal const string GroupHoldingControllersMessage =
        "OffloadSync() on a route group cannot reach the controller action '{0}' it holds: MVC applies a group's conventions " +
        "before it describes the action, so the group's OffloadSync() would silently leave it on the thread pool. Call OffloadSync() " +
        "on MapControllers() (or MapControllerRoute(...)) itself: group.MapControllers().OffloadSync().";

    /// <summary>
    /// The ordinary convention <c>OffloadSync()</c> adds: a synchronous controller action gets the offloading endpoint
    /// filter. MVC composes an action's endpoint filters before it runs finally conventions, so this cannot wait for one.
    /// </summary>
    public static void AddFilter(EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.OfType<ActionDescriptor>().LastOrDefault() is not ControllerActionDescriptor action
            || OffloadChecks.IsAwaitable(action.MethodInfo.ReturnType)
            || endpoint.Metadata.OfType<OffloadedControllerAction>().Any())
        {
            return; // not a controller; async actions are left where they are; a second OffloadSync() adds nothing
        }

        OffloadChecks.EnsureRegistered(endpoint.ApplicationServices);
        var marker = new OffloadedControllerAction();
        endpoint.Metadata.Add(marker);
        endpoint.FilterFactories.Add((_, next) =>
        {
            // Composed once every ordinary convention ran, so the executor is the one the final metadata names, and an
            // opt-out on the action or its controller ([DisableOffloadSync]) or on the endpoint is seen.
            if (DisableOffloadSyncAttribute.IsIn(endpoint.Metadata))
            {
                return next;
            }

            var runtime = OffloadRuntime.From(endpoint.ApplicationServices, endpoint.Metadata, endpoint.DisplayName, (endpoint as RouteEndpointBuilder)?.RoutePattern);
            return invocation => OffloadedControllerAction.InvokeAsync(runtime, invocation, next);
        });
    }

    /// <summary>
    /// Called by the finally convention for a controller endpoint: a sync action was handled by <see cref="AddFilter"/>;
    /// one that was not came from a group's convention, which MVC runs before the action is known, and fails.
    /// </summary>
    public static void EnsureOffloaded(EndpointBuilder endpoint, ControllerActionDescriptor action)
    {
        if (!OffloadChecks.IsAwaitable(action.MethodInfo.ReturnType) && !endpoint.Metadata.OfType<OffloadedControllerAction>().Any())
        {
            throw new InvalidOperationException(string.Format(System.Globalization.CultureInfo.InvariantCulture, GroupHoldingControllersMessage, endpoint.DisplayName));
        }
    }

    /// <summary>Marks an offloaded controller endpoint and runs the innermost step of its action on the executor.</summary>
    internal sealed class OffloadedControllerAction
    {
        private static readonly Func<(EndpointFilterDelegate Next, EndpointFilterInvocationContext Invocation), object?> s_callNext = static state =>
        {
            var pending = state.Next(state.Invocation);

            // For a synchronous action the rest of the pipeline is the method call itself, so it has completed here.
            return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        };

        public static ValueTask<object?> InvokeAsync(OffloadRuntime runtime, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
            => new(MvcOffload.RunAsync(runtime, invocation.HttpContext, kind: runtime, s_callNext, (next, invocation)));
    }
}
