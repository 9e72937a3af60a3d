namespace SyncContext.AspNetCore.Binding;

/// <summary>
/// Turns what an asynchronous hook returned into the <c>Task&lt;object?&gt;</c> <see cref="BoundHook"/> awaits: shared by the
/// reflection binder (<see cref="DelegateBinder"/>) and the generator's typed binders (<see cref="SyncContextHooks"/>).
/// </summary>
internal static class HookResults
{
    public static async Task<object?> FromTask(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    public static async Task<object?> FromTaskOf<T>(Task<T> task) => await task.ConfigureAwait(false);

    public static async Task<object?> FromValueTask(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    public static async Task<object?> FromValueTaskOf<T>(ValueTask<T> task) => await task.ConfigureAwait(false);
}
