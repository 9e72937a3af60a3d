using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Execution;

namespace SyncContext.AspNetCore.Routing;

/// <summary>What every offload entry point checks before it touches a handler.</summary>
internal static class OffloadChecks
{
    internal const string MissingRegistrationMessage =
        "SyncContext is not registered: call builder.Services.AddSyncContext() before mapping synchronous endpoints that are offloaded.";

    /// <summary>Fails now, with a message naming the call to add, when SyncContext is not registered.</summary>
    public static void EnsureRegistered(IServiceProvider services)
    {
        if (services.GetService<SyncExecutor>() is null)
        {
            throw new InvalidOperationException(MissingRegistrationMessage);
        }
    }

    /// <summary>Whether a handler with this return type completes asynchronously, and so is left alone.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification =
        "A GetAwaiter the trimmer removed is called by nobody, ASP.NET Core included, so the type is not awaited there either and is rightly treated as a value.")]
    public static bool IsAwaitable(Type returnType)
        => typeof(Task).IsAssignableFrom(returnType)
           || returnType == typeof(ValueTask)
           || (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
           || returnType.GetMethod(nameof(Task.GetAwaiter), BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null;
}
