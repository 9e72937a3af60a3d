using System.ComponentModel;

namespace SyncContext.AspNetCore.Binding;

/// <summary>
/// A service a generator-bound hook's parameter requires: checked when the hook is added, so that a missing registration
/// fails at start-up naming the parameter, as the reflection binder's check does.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct HookService
{
    /// <summary>Initializes a new instance of the <see cref="HookService"/> struct.</summary>
    /// <param name="type">The parameter's (service's) type.</param>
    /// <param name="parameterName">The parameter's name, for the message.</param>
    public HookService(Type type, string parameterName)
    {
        Type = type;
        ParameterName = parameterName;
    }

    /// <summary>Gets the service's type.</summary>
    public Type Type { get; }

    /// <summary>Gets the name of the parameter that receives it.</summary>
    public string ParameterName { get; }
}
