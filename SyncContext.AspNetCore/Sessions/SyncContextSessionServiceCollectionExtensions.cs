using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Session;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SyncContext;
using SyncContext.AspNetCore.Sessions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs a synchronous session store into ASP.NET Core's sessions.</summary>
public static class SyncContextSessionServiceCollectionExtensions
{
    // ASP.NET Core's own session support says the same on AddSession, which this calls.
    internal const string SessionNotTrimmable = "Session State middleware does not currently support trimming or native AOT.";

    /// <summary>
    /// Backs ASP.NET Core's sessions (<c>app.UseSession()</c>, <c>HttpContext.Session</c>) with
    /// <typeparamref name="TStore"/>, whose calls run on the SyncContext executor with the request's context.
    /// It adds SyncContext and ASP.NET Core's session services if they are not there yet; configure the
    /// session (cookie, <c>IdleTimeout</c>, <c>IOTimeout</c>) with <c>AddSession(options =&gt; ...)</c> as usual.
    /// </summary>
    /// <remarks>
    /// The store replaces ASP.NET Core's <c>IDistributedCache</c>-backed session store (the cache itself stays
    /// registered for other uses). The last store added is the one used. The store is a singleton, called
    /// concurrently for different sessions.
    /// </remarks>
    /// <typeparam name="TStore">The store, resolved once from the container.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    [RequiresUnreferencedCode(SessionNotTrimmable)]
    public static IServiceCollection AddSyncSessionStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IServiceCollection services)
        where TStore : class, ISyncSessionStore
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddSyncContext();
        services.AddSession();
        services.Replace(ServiceDescriptor.Singleton<ISyncSessionStore, TStore>());
        services.RemoveAll<ISessionStore>();
        services.AddSingleton<ISessionStore, ExecutorSessionStore>();
        return services;
    }
}
