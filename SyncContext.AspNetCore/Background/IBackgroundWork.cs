namespace SyncContext;

/// <summary>
/// Queues work to run in the background, Quart's <c>add_background_task</c>: added during a request, it starts
/// once the response has completed; added anywhere else, at once. Synchronous work runs on the SyncContext
/// executor, asynchronous work where it starts; each item gets a fresh service scope and runs with the app's
/// context, not the request's. The host waits for queued and running work when it stops, within its shutdown timeout.
/// </summary>
/// <remarks>
/// An exception from the work is logged and counted, never thrown at the caller. The number of items queued
/// or running is bounded (<c>BackgroundWorkOptions.Limit</c>); beyond it, and once the host is stopping,
/// <c>Add</c> throws <see cref="InvalidOperationException"/>.
/// </remarks>
public interface IBackgroundWork
{
    /// <summary>Queues synchronous work, run on the executor with a fresh scope's services.</summary>
    /// <param name="work">The work, for example <c>services =&gt; services.GetRequiredService&lt;Mailer&gt;().Send(mail)</c>.</param>
    /// <exception cref="InvalidOperationException">The limit is reached, or the host is stopping.</exception>
    void Add(Action<IServiceProvider> work);

    /// <summary>Queues asynchronous work, started where it is started, with a fresh scope's services.</summary>
    /// <param name="work">The work; its token is cancelled when the host starts to stop.</param>
    /// <exception cref="InvalidOperationException">The limit is reached, or the host is stopping.</exception>
    void Add(Func<IServiceProvider, CancellationToken, Task> work);
}
