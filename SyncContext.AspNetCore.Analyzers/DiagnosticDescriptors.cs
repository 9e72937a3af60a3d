using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Analyzers;

/// <summary>
/// The blocking-call diagnostics, one per kind of blocking call. Ids are listed in AnalyzerReleases.*.md; the generator
/// owns SYNCCTX001-099. Every message has the same three parts: {0} the call, {1} where it runs (an async handler, a
/// middleware, an endpoint filter), {2} what to do instead.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "SyncContext.Blocking";
    private const string MessageFormat = "'{0}' blocks a thread-pool thread in {1}, which SyncContext does not offload; {2}";

    public static readonly DiagnosticDescriptor Sleep = Create(
        "SYNCCTX100", "Thread.Sleep in async request code", "Thread.Sleep holds a thread-pool thread for the whole delay.");

    public static readonly DiagnosticDescriptor SyncOverAsync = Create(
        "SYNCCTX101",
        "Synchronous wait on a task in async request code",
        "Task.Wait, .Result and .GetAwaiter().GetResult() (and ValueTask's) hold a thread-pool thread until the task completes.");

    public static readonly DiagnosticDescriptor SyncIo = Create(
        "SYNCCTX102",
        "Synchronous I/O in async request code",
        "Synchronous file, stream, socket and HttpClient I/O holds a thread-pool thread until the device answers.");

    public static readonly DiagnosticDescriptor SyncDatabase = Create(
        "SYNCCTX103",
        "Synchronous ADO.NET call in async request code",
        "Synchronous DbConnection.Open, DbCommand.Execute* and DbDataReader.Read hold a thread-pool thread for the database round trip.");

    public static readonly DiagnosticDescriptor SyncWait = Create(
        "SYNCCTX104",
        "Blocking wait on a synchronization primitive in async request code",
        "Monitor.Enter/Wait, SemaphoreSlim.Wait, WaitHandle.WaitOne, ManualResetEventSlim.Wait and Thread.Join hold a thread-pool thread until signalled.");

    public static DiagnosticDescriptor For(BlockingKind kind) => kind switch
    {
        BlockingKind.Sleep => Sleep,
        BlockingKind.SyncOverAsync => SyncOverAsync,
        BlockingKind.SyncIo => SyncIo,
        BlockingKind.SyncDatabase => SyncDatabase,
        _ => SyncWait,
    };

    private static DiagnosticDescriptor Create(string id, string title, string description) => new(
        id,
        title,
        MessageFormat,
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: description + " An async handler, middleware or endpoint filter runs on the thread pool, so the pool starves under load. Use the async API, make the handler synchronous (SyncContext then runs it on its own threads), or move the call into IRunSync.RunAsync.");
}
