using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SyncContext.AspNetCore.Routing;

/// <summary>
/// How sync route handlers reach the executor in this app: by rebuilding their request delegate with ASP.NET Core's
/// request delegate factory (a JIT app, where the generator intercepts <c>MapGet</c>), or by running the endpoint's own
/// request delegate on the executor (an app whose endpoints ASP.NET Core's Request Delegate Generator built at compile
/// time: <c>PublishAot</c>, <c>PublishTrimmed</c>, <c>EnableRequestDelegateGenerator</c>).
/// </summary>
/// <remarks>
/// The package's build files set the switch to <see langword="false"/> whenever the Request Delegate Generator is on,
/// and the trimmer then removes the reflection-based path from the app (the switch is a feature switch: ILLink and the
/// native compiler replace the property by its configured value). Not a <c>FeatureGuard</c>: no run-time check can
/// prove that unreferenced code is there, so the one call it guards carries the justification instead.
/// </remarks>
internal static class OffloadMode
{
    internal const string RebuildSwitch = "SyncContext.AspNetCore.Routing.RebuildRequestDelegates";

    /// <summary>
    /// Whether endpoints are offloaded by rebuilding their request delegate (reflection, dynamic code); when not, every
    /// synchronous route handler is offloaded at run time by <see cref="AutomaticOffloadPolicy"/> and
    /// <c>OffloadSync()</c> runs the endpoint's own delegate on the executor (<see cref="EndpointOnExecutor"/>).
    /// </summary>
    [FeatureSwitchDefinition(RebuildSwitch)]
    public static bool RebuildsRequestDelegates
        => AppContext.TryGetSwitch(RebuildSwitch, out var rebuild) ? rebuild : RuntimeFeature.IsDynamicCodeSupported;
}
