namespace SyncContext.AspNetCore.Hosting;

/// <summary>One executor added with <c>AddSyncExecutor(name)</c>; the default one has none.</summary>
/// <param name="Name">The name it is registered (and keyed) under.</param>
internal sealed record SyncExecutorRegistration(string Name);
