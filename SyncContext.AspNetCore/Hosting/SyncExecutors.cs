using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Diagnostics;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Hosting;

/// <summary>
/// The app's executors by name: the default one <c>AddSyncContext</c> adds and each one <c>AddSyncExecutor(name)</c>
/// adds (a keyed <see cref="SyncExecutor"/> singleton). It creates them, each from its named options, follows their
/// options as the configuration reloads, and answers an unknown name with a message listing the known ones.
/// </summary>
internal sealed class SyncExecutors : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly string[] _names;
    private readonly List<SyncExecutorOptionsReload> _reloads = [];

    public SyncExecutors(IServiceProvider services, IEnumerable<SyncExecutorRegistration> registrations)
    {
        _services = services;
        _names = [.. registrations.Select(static r => r.Name).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Gets the names of the executors added with <c>AddSyncExecutor</c>, in the order they were added.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Gets the default executor.</summary>
    public SyncExecutor Default => _services.GetRequiredService<SyncExecutor>();

    /// <summary>The executor named <paramref name="name"/>; <see langword="null"/> or <c>"default"</c> for the default one.</summary>
    /// <param name="name">The executor's name.</param>
    /// <param name="endpoint">The endpoint that asks for it, named in the message of an unknown name.</param>
    /// <exception cref="InvalidOperationException">No executor of that name is registered.</exception>
    public SyncExecutor Get(string? name, string? endpoint = null)
    {
        if (name is null || name == SyncExecutor.DefaultName)
        {
            return Default;
        }

        if (Array.IndexOf(_names, name) < 0)
        {
            throw new InvalidOperationException(UnknownNameMessage(name, _names, endpoint));
        }

        return _services.GetRequiredKeyedService<SyncExecutor>(name);
    }

    /// <summary>Every executor, the default one first; resolving them starts them.</summary>
    public IEnumerable<SyncExecutor> All()
    {
        yield return Default;
        foreach (var name in _names)
        {
            yield return _services.GetRequiredKeyedService<SyncExecutor>(name);
        }
    }

    /// <summary>Creates the executor named <paramref name="name"/> from its options, and follows their reloads.</summary>
    public SyncExecutor Create(string name)
    {
        var optionsName = name == SyncExecutor.DefaultName ? Options.DefaultName : name;
        var monitor = _services.GetRequiredService<IOptionsMonitor<SyncContextOptions>>();
        var value = monitor.Get(optionsName);
        var logger = _services.GetService<ILogger<SyncExecutor>>();
        var requests = _services.GetService<IHttpContextAccessor>();
        var executor = new SyncExecutor(name, value, logger, _services.GetService<SyncContextMetrics>(), _services.GetService<TimeProvider>())
        {
            CurrentOperation = requests is null ? null : () => requests.HttpContext,
        };
        lock (_reloads)
        {
            _reloads.Add(new SyncExecutorOptionsReload(executor, optionsName, value, monitor, logger));
        }

        return executor;
    }

    /// <summary>The message of an unknown executor name.</summary>
    internal static string UnknownNameMessage(string name, IReadOnlyList<string> names, string? endpoint)
        => (endpoint is null ? $"No SyncContext executor is named '{name}'." : $"The endpoint '{endpoint}' asks for the SyncContext executor '{name}', which is not registered.") +
           " The registered executors are: " +
           string.Join(", ", new[] { SyncExecutor.DefaultName }.Concat(names).Select(static n => $"'{n}'")) +
           $". Add it with builder.Services.AddSyncExecutor(\"{name}\", options => ...), or under SyncContext:Executors:{name} in the configuration passed to AddSyncContext, or fix the name in OffloadSync(\"{name}\") or [ExecuteOn(\"{name}\")].";

    public void Dispose()
    {
        lock (_reloads)
        {
            foreach (var reload in _reloads)
            {
                reload.Dispose();
            }

            _reloads.Clear();
        }
    }
}
