using Microsoft.AspNetCore.Routing;
using SyncContext.AspNetCore.Mvc;
using SyncContext.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions that run synchronous minimal-API handlers, MVC actions and Razor Pages handlers on the SyncContext executor.</summary>
public static class OffloadSyncEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Runs the handler of each synchronous endpoint built by <paramref name="builder"/> (an endpoint or a
    /// route group) on the SyncContext executor, with the request's context. Handlers returning
    /// <see cref="Task"/>, <see cref="ValueTask"/> or another awaitable are left untouched. Binding, filters,
    /// metadata, the OpenAPI description and the response are those of the same endpoint without it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The endpoint's request delegate is rebuilt once every convention has run (a finally convention), so every
    /// filter of the endpoint and its groups, added before or after this call, runs where it would without it, and
    /// only the handler body moves to the executor. Endpoints mapped with a <see cref="Http.RequestDelegate"/> are
    /// asynchronous by their type and left alone.
    /// </para>
    /// <para>
    /// On MVC controllers (<c>app.MapControllers().OffloadSync()</c>, <c>MapControllerRoute(...)</c>) it runs each
    /// synchronous action method on the executor, at the one seam MVC offers there (an endpoint filter, which MVC runs in
    /// place of the method call after binding and every MVC filter): model binding, validation, filters and results are
    /// MVC's own (an endpoint filter added after this call runs on the executor too, inside it; add endpoint filters
    /// before it). A group's <c>OffloadSync()</c> cannot reach the controllers it holds (MVC applies a group's conventions
    /// before it describes the action), and fails when the endpoints are built: call it on <c>MapControllers()</c>.
    /// </para>
    /// <para>
    /// On Razor Pages (<c>app.MapRazorPages().OffloadSync()</c>, or a group holding them) it runs each synchronous handler
    /// method (<c>OnGet</c>, <c>OnPost</c>...) on the executor, through a page filter it adds to the page, innermost of all
    /// (order <see cref="int.MaxValue"/>, scope last): the page and its model are created, the handler selected and its
    /// arguments and <c>[BindProperty]</c> properties bound on the request thread, every other page filter runs there, and
    /// the page is rendered there; async handlers and pages without a handler are left alone. The pages must be compiled at
    /// build time (the default; under runtime compilation it fails when the endpoints are built). <see cref="DisableOffloadSyncAttribute"/> on a handler method or on the page
    /// model keeps them on the request thread; <see cref="ExecuteOnAttribute"/> on the page model picks the page's
    /// executor (on a handler method it fails at start-up: a page's handlers share its endpoint).
    /// </para>
    /// <para>
    /// Any other kind of endpoint MVC builds cannot be offloaded, and fails when the endpoints are built.
    /// </para>
    /// </remarks>
    /// <typeparam name="TBuilder">The type of the builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered (call <c>AddSyncContext()</c>).</exception>
    public static TBuilder OffloadSync<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        // A group knows its services now, so a missing AddSyncContext() fails at start-up rather than when
        // the endpoints are first built.
        if (builder is IEndpointRouteBuilder routes)
        {
            OffloadChecks.EnsureRegistered(routes.ServiceProvider);
        }

        builder.Add(ControllerOffload.AddFilter);
        builder.Finally(RuntimeOffload.Apply);
        return builder;
    }

    /// <summary>
    /// Runs the synchronous handlers of <paramref name="builder"/> (an endpoint or a route group) on the executor named
    /// <paramref name="executorName"/> (one added with <c>AddSyncExecutor(name)</c>), as <see cref="OffloadSync{TBuilder}(TBuilder)"/>
    /// runs them on the default one: a bulkhead, so that these endpoints can take only that executor's threads and queue.
    /// </summary>
    /// <remarks>
    /// It adds <see cref="ExecuteOnAttribute"/> to the endpoints' metadata, which every offload reads, the generator's
    /// included: on a group, it also picks the executor of the endpoints the generator offloads in it. An
    /// <see cref="ExecuteOnAttribute"/> on a handler wins over a group's; this call on the endpoint itself wins over both.
    /// A name no executor has fails when the endpoints are built, with a message listing the registered executors.
    /// </remarks>
    /// <typeparam name="TBuilder">The type of the builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <param name="executorName">The executor's name; <c>"default"</c> for the default one.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered (call <c>AddSyncContext()</c>).</exception>
    public static TBuilder OffloadSync<TBuilder>(this TBuilder builder, string executorName)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var selection = new ExecuteOnAttribute(executorName);
        builder.Add(endpoint => endpoint.Metadata.Add(selection));
        return builder.OffloadSync();
    }
}
