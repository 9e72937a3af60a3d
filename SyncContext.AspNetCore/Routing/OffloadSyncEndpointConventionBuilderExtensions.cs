using Microsoft.AspNetCore.Routing;
using SyncContext.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint conventions that run synchronous minimal-API handlers on the SyncContext executor.</summary>
public static class OffloadSyncEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Runs the handler of each synchronous endpoint built by <paramref name="builder"/> (an endpoint or a
    /// route group) on the SyncContext executor, with the request's context. Handlers returning
    /// <see cref="Task"/>, <see cref="ValueTask"/> or another awaitable are left untouched. Binding, filters,
    /// metadata, the OpenAPI description and the response are those of the same endpoint without it.
    /// </summary>
    /// <remarks>
    /// The endpoint's request delegate is rebuilt once every convention has run (a finally convention), so every
    /// filter of the endpoint and its groups, added before or after this call, runs where it would without it, and
    /// only the handler body moves to the executor. Endpoints that are not minimal-API route handlers (a
    /// <see cref="Http.RequestDelegate"/>) are left alone.
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

        builder.Finally(RuntimeOffload.Apply);
        return builder;
    }
}
