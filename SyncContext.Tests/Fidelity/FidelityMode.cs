namespace SyncContext.Tests.Fidelity;

/// <summary>How an app of the suite is built.</summary>
internal enum FidelityMode
{
    /// <summary>Without the package: no <c>AddSyncContext()</c>, no <c>OffloadSync()</c>, no generator.</summary>
    Plain,

    /// <summary>The runtime convention: <c>AddSyncContext()</c> and <c>.OffloadSync()</c> on the group holding every endpoint.</summary>
    Runtime,

    /// <summary>The interceptor generator: <c>AddSyncContext()</c>, and the source compiled with the generator on.</summary>
    Generator,
}
