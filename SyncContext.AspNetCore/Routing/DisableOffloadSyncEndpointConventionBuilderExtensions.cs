using SyncContext.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The endpoint convention that keeps synchronous handlers inline on the request thread.</summary>
public static class DisableOffloadSyncEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Keeps the synchronous handlers of <paramref name="builder"/> (an endpoint or a route group) inline on the request
    /// thread: they are not run on the SyncContext executor, whether the generator intercepted their <c>Map</c> call, a
    /// group they are on calls <c>OffloadSync()</c>, or the app offloads every sync handler automatically (an app built
    /// with the Request Delegate Generator, such as a native AOT one). For handlers known to be trivial. The same as
    /// <see cref="DisableOffloadSyncAttribute"/> on the handler.
    /// </summary>
    /// <remarks>
    /// It adds <see cref="DisableOffloadSyncAttribute"/> to the endpoints' metadata, and wins wherever it is: on a group it
    /// keeps every endpoint of the group inline, even one that calls <c>OffloadSync()</c> itself.
    /// </remarks>
    /// <typeparam name="TBuilder">The type of the builder.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder DisableOffloadSync<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(static endpoint => endpoint.Metadata.Add(DisableOffloadSyncAttribute.Instance));
        return builder;
    }
}
