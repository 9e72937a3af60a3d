using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Mvc;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// The finally convention <c>OffloadSync()</c> adds: once ASP.NET Core has built a synchronous route handler's
/// request delegate, it builds it again through <see cref="OffloadedRequestDelegate"/>, with the options ASP.NET
/// Core used, so the endpoint answers exactly as the generator's would.
/// </summary>
/// <remarks>
/// A convention never sees the handler, only the endpoint builder, and a finally convention runs after every filter
/// of the endpoint and its groups was added, so the rebuilt delegate has them all, each where it would run anyway.
/// The metadata is inferred again on a scratch builder holding a copy of the real metadata: RDF needs a fresh
/// factory context, and the endpoint's metadata must not get the inferred items twice.
/// </remarks>
internal static class RuntimeOffload
{
    /// <summary>
    /// Offloads the endpoint: an MVC one as <see cref="MvcOffload"/> says; a route handler by rebuilding its request
    /// delegate where reflection is available, otherwise (an app whose request delegates the Request Delegate Generator
    /// wrote, such as a native AOT one) by running its own request delegate on the executor, with no reflection.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification =
        "Rebuild is reached only when OffloadMode.RebuildsRequestDelegates is true: never in an app that is trimmed or compiled ahead of time, whose build sets the feature switch to false, so the trimmer removes it.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification =
        "Rebuild is reached only when OffloadMode.RebuildsRequestDelegates is true, which it never is where dynamic code is unsupported.")]
    public static void Apply(EndpointBuilder endpoint)
    {
        // MVC builds its endpoints itself: controllers were offloaded at their action method (ControllerOffload.AddFilter),
        // pages are marked for their handler method (PageOffload), and anything else MVC builds fails here rather than be
        // silently left on the pool.
        if (endpoint.Metadata.OfType<ActionDescriptor>().LastOrDefault() is { } action)
        {
            MvcOffload.Apply(endpoint, action);
            return;
        }

        if (OffloadMode.RebuildsRequestDelegates)
        {
            Rebuild(endpoint);
        }
        else
        {
            RunOnExecutor(endpoint);
        }
    }

    /// <summary>The endpoint's own request delegate, run on the executor (<see cref="EndpointOnExecutor"/>).</summary>
    internal static void RunOnExecutor(EndpointBuilder endpoint)
    {
        if (endpoint is not RouteEndpointBuilder
            || OffloadedRequestDelegate.IsDecided(endpoint)
            || DisableOffloadSyncAttribute.IsIn(endpoint.Metadata)
            || endpoint.RequestDelegate is not { } requestDelegate
            || endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault() is not { } method
            || OffloadChecks.IsAwaitable(method.ReturnType))
        {
            return;
        }

        OffloadChecks.EnsureRegistered(endpoint.ApplicationServices);
        endpoint.RequestDelegate = EndpointOnExecutor.Wrap(requestDelegate, OffloadRuntime.From(endpoint.ApplicationServices, endpoint.Metadata, endpoint.DisplayName, (endpoint as RouteEndpointBuilder)?.RoutePattern), endpoint.Metadata);
        OffloadedRequestDelegate.MarkDecided(endpoint);
    }

    [RequiresUnreferencedCode(OffloadedRequestDelegate.TrimmingWarning)]
    [RequiresDynamicCode(OffloadedRequestDelegate.TrimmingWarning)]
    private static void Rebuild(EndpointBuilder endpoint)
    {
        // Only minimal-API route handlers carry their MethodInfo; a RequestDelegate endpoint is asynchronous by its
        // type, and left alone as async handlers are.
        if (endpoint is not RouteEndpointBuilder route
            || OffloadedRequestDelegate.IsDecided(endpoint)
            || DisableOffloadSyncAttribute.IsIn(endpoint.Metadata)
            || endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault() is not { } method
            || OffloadChecks.IsAwaitable(method.ReturnType))
        {
            return;
        }

        var services = endpoint.ApplicationServices;
        OffloadChecks.EnsureRegistered(services);
        var handler = RouteHandlerLookup.Find(endpoint.RequestDelegate, method, endpoint.DisplayName);
        if (!OffloadedRequestDelegate.CanOffload(method, handler.Target, services, endpoint.DisplayName))
        {
            OffloadedRequestDelegate.MarkDecided(endpoint);
            return;
        }

        var scratch = new RouteEndpointBuilder(requestDelegate: null, route.RoutePattern, route.Order)
        {
            DisplayName = route.DisplayName,
            ApplicationServices = services,
        };
        foreach (var item in endpoint.Metadata)
        {
            scratch.Metadata.Add(item);
        }

        foreach (var filter in endpoint.FilterFactories)
        {
            scratch.FilterFactories.Add(filter);
        }

        var options = new RequestDelegateFactoryOptions
        {
            ServiceProvider = services,
            RouteParameterNames = route.RoutePattern.Parameters.Select(static p => p.Name).ToList(),
            ThrowOnBadRequest = services.GetService<IOptions<RouteHandlerOptions>>()?.Value.ThrowOnBadRequest ?? false,
            DisableInferBodyFromParameters = ShouldDisableInferredBody(endpoint.Metadata.OfType<IHttpMethodMetadata>().FirstOrDefault()?.HttpMethods),
            EndpointBuilder = scratch,
        };

        var metadata = RequestDelegateFactory.InferMetadata(method, options);
        endpoint.RequestDelegate = OffloadedRequestDelegate.Create(handler, options, metadata).RequestDelegate;
        OffloadedRequestDelegate.MarkDecided(endpoint);
    }

    /// <summary>ASP.NET Core's rule: a route for any method that normally has no body infers no body parameter.</summary>
    private static bool ShouldDisableInferredBody(IReadOnlyList<string>? httpMethods)
        => httpMethods is not null && httpMethods.Any(static method =>
            HttpMethods.IsGet(method) || HttpMethods.IsDelete(method) || HttpMethods.IsHead(method)
            || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method) || HttpMethods.IsConnect(method));
}
