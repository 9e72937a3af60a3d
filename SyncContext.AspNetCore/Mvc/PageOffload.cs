using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Mvc;

/// <summary>
/// What <c>OffloadSync()</c> does to a Razor Pages endpoint: its synchronous handler methods (<c>OnGet</c>, <c>OnPost</c>...)
/// run on the executor, through a <see cref="PageOffloadFilter"/> added to that page's descriptor alone.
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
/// The endpoint gets a mark (<see cref="OffloadedPage"/>, with the executor its metadata names, resolved once), and the
/// page's own <see cref="ActionDescriptor.FilterDescriptors"/> the filter, last of all (order <see cref="int.MaxValue"/>,
/// scope <see cref="FilterScope.Last"/>), when the endpoint is built: before the page's first request, which is when MVC
/// reads them, and after MVC copied them into the endpoint's metadata. The filter acts on marked endpoints only (the same
/// page mapped again without <c>OffloadSync()</c> shares its descriptor). So a page that is not offloaded is what it is
/// without the package, and an offloaded one's metadata differs by the mark alone. The page must be compiled at build
/// time (the default): under runtime compilation (obsolete since .NET 10) the page's descriptor is made at its first
/// request, out of the convention's reach, and <c>OffloadSync()</c> fails when the endpoints are built, saying so.
/// </para>
/// </remarks>
internal static class PageOffload
{
    internal const string RuntimeCompilationMessage =
        "OffloadSync() cannot offload the Razor Pages endpoint '{0}': the page is not compiled at build time (Razor runtime compilation, " +
        "obsolete since .NET 10), so its handlers are only known at its first request. Compile the pages at build time (remove " +
        "AddRazorRuntimeCompilation()), or remove OffloadSync() from MapRazorPages() and run blocking code with IRunSync from an async handler.";

    internal const string HandlerExecuteOnMessage =
        "[ExecuteOn] cannot pick the executor of the Razor Pages handler '{0}.{1}': a page's handlers share its endpoint, and the executor is " +
        "the endpoint's. Put [ExecuteOn] on the page model class, or call OffloadSync(name) on MapRazorPages() or the group holding the page.";

    /// <summary>
    /// Called by the finally convention for a page endpoint: adds the page's <see cref="PageOffloadFilter"/>, with its
    /// executor and its synchronous handlers, unless the endpoint opted out or the page has it already.
    /// </summary>
    public static void Mark(EndpointBuilder endpoint, PageActionDescriptor action)
    {
        if (DisableOffloadSyncAttribute.IsIn(endpoint.Metadata))
        {
            return;
        }

        if (action is not CompiledPageActionDescriptor page)
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, RuntimeCompilationMessage, endpoint.DisplayName));
        }

        // A group's OffloadSync() and the endpoint's both reach it.
        if (endpoint.Metadata.OfType<OffloadedPage>().Any())
        {
            return;
        }

        var services = endpoint.ApplicationServices;
        OffloadChecks.EnsureRegistered(services);
        endpoint.Metadata.Add(new OffloadedPage(OffloadRuntime.From(services, endpoint.Metadata, endpoint.DisplayName, (endpoint as RouteEndpointBuilder)?.RoutePattern)));

        // One descriptor serves every endpoint of the page: each route of it, each MapRazorPages() that maps it. It gets one
        // filter, which acts on the endpoints marked above only. MVC's list is an array: the descriptor gets a new one,
        // read by MVC when the page first runs.
        if (!page.FilterDescriptors.Any(static descriptor => descriptor.Filter is PageOffloadFilter))
        {
            var offloaded = page.HandlerMethods.Where(handler => RunsOnExecutor(handler, page)).ToHashSet();
            page.FilterDescriptors = [.. page.FilterDescriptors, new FilterDescriptor(new PageOffloadFilter(offloaded), FilterScope.Last)];
        }
    }

    /// <summary>Marks an offloaded page endpoint, with the executor its handlers run on.</summary>
    internal sealed class OffloadedPage(OffloadRuntime runtime)
    {
        public OffloadRuntime Runtime { get; } = runtime;
    }

    /// <summary>
    /// Whether <paramref name="handler"/> runs on the executor when its page is offloaded: it is synchronous, and neither it
    /// nor its page model (or page) class carries <see cref="DisableOffloadSyncAttribute"/>.
    /// </summary>
    private static bool RunsOnExecutor(HandlerMethodDescriptor handler, CompiledPageActionDescriptor page)
    {
        var method = handler.MethodInfo;
        if (method.IsDefined(typeof(ExecuteOnAttribute), inherit: true))
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, HandlerExecuteOnMessage, method.DeclaringType?.FullName, method.Name));
        }

        return !OffloadChecks.IsAwaitable(method.ReturnType)
               && !method.IsDefined(typeof(DisableOffloadSyncAttribute), inherit: true)
               && page.HandlerTypeInfo?.IsDefined(typeof(DisableOffloadSyncAttribute), inherit: true) != true;
    }
}
