using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Diagnostics;

namespace SyncContext.AspNetCore.Lifecycle;

/// <summary>
/// The app's before-serving, after-serving and teardown-app-context hooks, added while the app is configured
/// and run by <see cref="AppHooksLifetime"/> as the host starts and stops.
/// </summary>
internal sealed class AppHooks(IServiceProvider services, IRunSync executor, ILogger<AppHooks> logger)
{
    public static readonly HookSignature BeforeFirstRequest = new("UseBeforeFirstRequest", "before-first-request hook", HookArguments.None);
    public static readonly HookSignature BeforeServing = new("UseBeforeServing", "before-serving hook", HookArguments.None);
    public static readonly HookSignature AfterServing = new("UseAfterServing", "after-serving hook", HookArguments.None);
    public static readonly HookSignature TeardownAppContext = new("UseTeardownAppContext", "teardown-app-context hook", HookArguments.None);

    private readonly List<BoundHook> _beforeServing = [];
    private readonly List<BoundHook> _afterServing = [];
    private readonly List<BoundHook> _teardown = [];
    private bool _started;

    public void AddBeforeServing(BoundHook hook) => Add(_beforeServing, hook);

    public void AddAfterServing(BoundHook hook) => Add(_afterServing, hook);

    public void AddTeardownAppContext(BoundHook hook) => Add(_teardown, hook);

    /// <summary>Runs the before-serving hooks in order; the first that throws stops start-up with its exception.</summary>
    public async Task RunBeforeServingAsync(CancellationToken cancellationToken)
    {
        _started = true;
        foreach (var hook in _beforeServing)
        {
            await RunAsync(services, executor, hook, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the after-serving hooks, then the teardown-app-context ones, in order; failures are logged and the rest still run.</summary>
    public async Task RunAfterServingAsync(CancellationToken cancellationToken)
    {
        foreach (var hook in _afterServing.Concat(_teardown))
        {
            try
            {
                await RunAsync(services, executor, hook, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.AppHookFailed(logger, hook.Name, exception);
            }
        }
    }

    /// <summary>Runs one app hook with a fresh service scope; the token is the host's for this phase.</summary>
    public static async Task RunAsync(IServiceProvider services, IRunSync executor, BoundHook hook, CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await hook.InvokeAsync(executor, new HookInvocation(null, scope.ServiceProvider, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    private void Add(List<BoundHook> hooks, BoundHook hook)
    {
        if (_started)
        {
            throw new InvalidOperationException("App hooks must be added before the app starts: call UseBeforeServing, UseAfterServing and UseTeardownAppContext before app.Run().");
        }

        hooks.Add(hook);
    }
}
