namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Runs an offloaded synchronous handler on the executor of this name (one added with <c>AddSyncExecutor(name)</c>)
/// instead of the default one: a bulkhead, so that a slow dependency's endpoints can take only that executor's threads
/// and queue. Put it on a handler lambda or method (<c>app.MapGet("/report", [ExecuteOn("legacy-db")] () =&gt; ...)</c>),
/// or on a controller or action, or a Razor Pages page model; <c>OffloadSync("legacy-db")</c> adds it to an endpoint or a
/// route group.
/// </summary>
/// <remarks>
/// It is read from the endpoint's metadata when the endpoint is built, by every offload: the generator's interception,
/// <c>OffloadSync()</c>, the offload of an app built by the Request Delegate Generator (native AOT), controllers' and
/// pages'. The nearest one wins (the handler's over its group's). A name no executor has fails when the endpoints are
/// built, with a message listing the registered executors. It changes nothing for a handler that is not offloaded. On a
/// Razor Pages handler method it fails at start-up: a page's handlers share one endpoint, whose executor it is.
/// </remarks>
/// <param name="executorName">The executor's name, as given to <c>AddSyncExecutor</c>; <c>"default"</c> for the default one.</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Delegate, Inherited = true, AllowMultiple = false)]
public sealed class ExecuteOnAttribute(string executorName) : Attribute
{
    /// <summary>Gets the name of the executor the handler runs on.</summary>
    public string ExecutorName { get; } = !string.IsNullOrWhiteSpace(executorName)
        ? executorName
        : throw new ArgumentException("The executor's name must not be empty.", nameof(executorName));
}
