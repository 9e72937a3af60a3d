using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;
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
internal sealed record OffloadRuntime(SyncExecutor Executor, IHttpContextAccessor HttpContexts, bool AllowSynchronousIO, RejectionAnswer Rejections)
{
    /// <summary>
    /// What a rejected offloaded handler fails with. <see cref="SyncExecutor.TryRunUnsafe{TResult}"/> does not say
    /// why it refused, and the answer (503) is the same either way; a full queue is by far the likelier cause.
    /// </summary>
    public static readonly WorkRejectedException Rejection = new(
        WorkRejectionReason.QueueFull,
        "The SyncContext executor rejected the handler: its queue is at its limit, or it is stopping. The request was answered with 503 and Retry-After.");

    /// <summary>Resolves the runtime from the application's services, or fails naming <c>AddSyncContext()</c>.</summary>
    public static OffloadRuntime From(IServiceProvider services)
    {
        var executor = services.GetService<SyncExecutor>() ?? throw new InvalidOperationException(OffloadChecks.MissingRegistrationMessage);
        return new OffloadRuntime(
            executor,
            services.GetRequiredService<IHttpContextAccessor>(),
            services.GetRequiredService<IOptions<SyncContextOptions>>().Value.AllowSynchronousIO,
            services.GetRequiredService<RejectionAnswer>());
    }
}
