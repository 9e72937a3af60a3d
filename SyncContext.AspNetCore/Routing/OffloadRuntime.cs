using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Hosting;
using SyncContext.AspNetCore.Http;

namespace SyncContext.AspNetCore.Routing;

/// <summary>What an offloaded endpoint needs at request time, resolved once when it is built.</summary>
/// <param name="Executor">Where handler bodies run.</param>
/// <param name="HttpContexts">
/// The current request, read from its async-local on both sides of the hop: RDF hands the wrapper only the
/// handler's own arguments.
/// </param>
/// <param name="AllowSynchronousIO"><see cref="SyncContextOptions.AllowSynchronousIO"/>.</param>
/// <param name="Rejections">How a rejected request is answered.</param>
/// <param name="Route">
/// The endpoint's route template, <c>http.route</c> on the executor's instruments and activities, or <see langword="null"/>
/// for none: known when the endpoint is built, so no request reads it.
/// </param>
internal sealed record OffloadRuntime(SyncExecutor Executor, IHttpContextAccessor HttpContexts, bool AllowSynchronousIO, RejectionAnswer Rejections, string? Route)
{
    /// <summary>
    /// Resolves the runtime of an endpoint from the application's services: the executor its metadata names
    /// (<see cref="Microsoft.AspNetCore.Builder.ExecuteOnAttribute"/>, the last one), or the default one. Fails naming
    /// <c>AddSyncContext()</c> when SyncContext is not registered, and naming the registered executors when the name is unknown.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="metadata">The endpoint's metadata, or <see langword="null"/> for the default executor.</param>
    /// <param name="endpoint">The endpoint's display name, for the message of an unknown executor.</param>
    /// <param name="route">The endpoint's route pattern, or <see langword="null"/> for an endpoint without one.</param>
    public static OffloadRuntime From(IServiceProvider services, IEnumerable<object>? metadata = null, string? endpoint = null, RoutePattern? route = null)
    {
        var executors = services.GetService<SyncExecutors>() ?? throw new InvalidOperationException(OffloadChecks.MissingRegistrationMessage);
        var executor = executors.Get(ExecutorNameOf(metadata), endpoint);
        var optionsName = executor.Name == SyncExecutor.DefaultName ? Options.DefaultName : executor.Name;
        return new OffloadRuntime(
            executor,
            services.GetRequiredService<IHttpContextAccessor>(),
            services.GetRequiredService<IOptionsMonitor<SyncContextOptions>>().Get(optionsName).AllowSynchronousIO,
            services.GetRequiredService<RejectionAnswer>(),
            string.IsNullOrEmpty(route?.RawText) ? null : route.RawText);
    }

    /// <summary>Fails, naming the registered executors, when the endpoint's metadata asks for an executor that does not exist.</summary>
    public static void EnsureExecutorExists(IServiceProvider services, IEnumerable<object> metadata, string? endpoint)
    {
        if (ExecutorNameOf(metadata) is { } name && services.GetService<SyncExecutors>() is { } executors)
        {
            executors.Get(name, endpoint);
        }
    }

    /// <summary>The executor an endpoint's metadata asks for: the last <see cref="Microsoft.AspNetCore.Builder.ExecuteOnAttribute"/>, if any.</summary>
    public static string? ExecutorNameOf(IEnumerable<object>? metadata)
        => metadata?.OfType<Microsoft.AspNetCore.Builder.ExecuteOnAttribute>().LastOrDefault()?.ExecutorName;
}
