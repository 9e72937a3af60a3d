using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Mvc;

/// <summary>
/// What <c>OffloadSync()</c> does to a Razor Pages endpoint: a synchronous handler method (<c>OnGet</c>, <c>OnPost</c>...)
/// runs on the executor, through <see cref="PageOffloadFilter"/>.
/// </summary>
/// <remarks>
/// <para>
/// Pages ignore endpoint filters, so the seam is a page filter: MVC's page invoker creates the page and its model, selects
/// the handler, binds its arguments and <c>[BindProperty]</c> properties and only then runs the page filters; the innermost
/// one's <c>next()</c> calls the handler method, catches what it throws into the executed context, and returns. The
/// result (rendering the view) is executed afterwards, outside page filters. So running that <c>next()</c> on an executor
/// thread moves the handler and nothing else: binding, validation, filters, results and exceptions are MVC's own.
/// </para>
/// <para>
/// The convention only marks the endpoint (<see cref="OffloadedPage"/>, with the executor its metadata names, resolved
/// once); the filter, one for the app, reads the mark from the endpoint of the request. Endpoint metadata reaches the
/// request: with pages compiled at build time the endpoint the conventions built is the one routing selects, and under
/// runtime compilation the page loader copies the metadata of that endpoint onto the compiled page's. Under runtime
/// compilation (obsolete since .NET 10) the attributes of the page model are not yet known when the mark is made, so an
/// <see cref="ExecuteOnAttribute"/> on the model class is not seen, and one on a handler fails at its first request rather
/// than at start-up; <see cref="DisableOffloadSyncAttribute"/> on the model is seen, as it and the handler's own
/// attributes are read from the handler when it first runs.
/// </para>
/// </remarks>
internal static class PageOffload
{
    internal const string MissingFilterMessage =
        "OffloadSync() cannot offload the Razor Pages endpoint '{0}': the page filter that runs page handlers on the executor is not in " +
        "MvcOptions.Filters. AddSyncContext() adds it; something removed it (MvcOptions.Filters.Clear()?).";

    internal const string HandlerExecuteOnMessage =
        "[ExecuteOn] cannot pick the executor of the Razor Pages handler '{0}.{1}': a page's handlers share its endpoint, and the executor is " +
        "the endpoint's. Put [ExecuteOn] on the page model class, or call OffloadSync(name) on MapRazorPages() or the group holding the page.";

    private static readonly ConditionalWeakTable<HandlerMethodDescriptor, HandlerDecision> s_decisions = new();

    /// <summary>
    /// Called by the finally convention for a page endpoint: marks it offloaded, with its executor, unless it opted out.
    /// Pages compiled at build time are checked here, so an <see cref="ExecuteOnAttribute"/> on a handler fails at start-up.
    /// </summary>
    public static void Mark(EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.OfType<OffloadedPage>().Any() || DisableOffloadSyncAttribute.IsIn(endpoint.Metadata))
        {
            return; // a group's OffloadSync() and the endpoint's both reach it; or it opted out
        }

        var services = endpoint.ApplicationServices;
        OffloadChecks.EnsureRegistered(services);
        if (services.GetService<IOptions<MvcOptions>>()?.Value.Filters.OfType<PageOffloadFilter>().Any() != true)
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, MissingFilterMessage, endpoint.DisplayName));
        }

        if (endpoint.Metadata.OfType<CompiledPageActionDescriptor>().LastOrDefault() is { } page)
        {
            foreach (var handler in page.HandlerMethods)
            {
                RunsOnExecutor(handler, page);
            }
        }

        endpoint.Metadata.Add(new OffloadedPage(OffloadRuntime.From(services, endpoint.Metadata, endpoint.DisplayName, (endpoint as RouteEndpointBuilder)?.RoutePattern)));
    }

    /// <summary>
    /// Whether <paramref name="handler"/> runs on the executor when its page is offloaded: it is synchronous, and neither it
    /// nor its page model (or page) class carries <see cref="DisableOffloadSyncAttribute"/>. Decided once per handler.
    /// </summary>
    public static bool RunsOnExecutor(HandlerMethodDescriptor handler, CompiledPageActionDescriptor page)
    {
        if (!s_decisions.TryGetValue(handler, out var decision))
        {
            decision = Decide(handler, page);
            s_decisions.TryAdd(handler, decision);
        }

        return decision.Offload;
    }

    private static HandlerDecision Decide(HandlerMethodDescriptor handler, CompiledPageActionDescriptor page)
    {
        var method = handler.MethodInfo;
        if (method.IsDefined(typeof(ExecuteOnAttribute), inherit: true))
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, HandlerExecuteOnMessage, method.DeclaringType?.FullName, method.Name));
        }

        return OffloadChecks.IsAwaitable(method.ReturnType)
               || method.IsDefined(typeof(DisableOffloadSyncAttribute), inherit: true)
               || page.HandlerTypeInfo.IsDefined(typeof(DisableOffloadSyncAttribute), inherit: true)
            ? HandlerDecision.Inline
            : HandlerDecision.Offloaded;
    }

    /// <summary>Marks an offloaded page endpoint, with the executor its handlers run on.</summary>
    internal sealed class OffloadedPage(OffloadRuntime runtime)
    {
        public OffloadRuntime Runtime { get; } = runtime;
    }

    private sealed class HandlerDecision(bool offload)
    {
        public static readonly HandlerDecision Offloaded = new(offload: true);
        public static readonly HandlerDecision Inline = new(offload: false);

        public bool Offload { get; } = offload;
    }
}
