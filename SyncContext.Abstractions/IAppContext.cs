namespace SyncContext;

/// <summary>
/// The running application, as synchronous code needs it. The counterpart of Quart's <c>current_app</c>.
/// </summary>
public interface IAppContext
{
    /// <summary>Gets the application's name.</summary>
    string ApplicationName { get; }

    /// <summary>Gets the environment's name, for example <c>Production</c>.</summary>
    string EnvironmentName { get; }

    /// <summary>Gets the folder the application's content is read from.</summary>
    string ContentRootPath { get; }

    /// <summary>Gets the application's root services.</summary>
    IServiceProvider Services { get; }

    /// <summary>Gets a token that is cancelled when the application starts to stop.</summary>
    CancellationToken Stopping { get; }
}
