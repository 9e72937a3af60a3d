using System.ComponentModel;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SyncContext.AspNetCore.Execution;
using SyncContext.AspNetCore.Http;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.ErrorHandling;

/// <summary>
/// The call the SyncContext source generator emits in place of <c>UseExceptionHandler(Delegate)</c>, with the
/// handler's parameters already bound. Not meant to be called by hand: use <c>UseExceptionHandler</c>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SyncContextExceptionHandlers
{
    /// <summary>
    /// Adds a middleware that answers a <typeparamref name="TException"/> thrown further in the pipeline, while
    /// the response has not started, by running <paramref name="invoke"/> on the executor with the failed
    /// request's context and writing what it returns as a minimal-API endpoint would. Other exceptions pass on
    /// unchanged; if <paramref name="invoke"/> throws, the original exception does.
    /// </summary>
    /// <typeparam name="TException">The exceptions to handle; derived types included.</typeparam>
    /// <param name="app">The application's pipeline.</param>
    /// <param name="invoke">
    /// Calls the user's handler with its parameters bound from the request and the exception, and returns its
    /// result: an <see cref="IResult"/>, a <see cref="string"/>, any other object (written as JSON), or
    /// <see langword="null"/> for a handler that returns nothing.
    /// </param>
    /// <returns>The application builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">SyncContext is not registered (call <c>AddSyncContext()</c>).</exception>
    public static IApplicationBuilder Use<TException>(IApplicationBuilder app, Func<HttpContext, TException, object?> invoke)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(invoke);

        var services = app.ApplicationServices;
        OffloadChecks.EnsureRegistered(services);

        var executor = services.GetRequiredService<SyncExecutor>();
        var rejections = services.GetRequiredService<RejectionAnswer>();
        var allowSynchronousIO = services.GetRequiredService<IOptions<SyncContextOptions>>().Value.AllowSynchronousIO;
        var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(typeof(SyncContextExceptionHandlers));

        var metrics = new ExceptionHandlerMetrics(services.GetRequiredService<IMeterFactory>());

        return app.Use(next => new SyncExceptionHandlerMiddleware<TException>(next, invoke, executor, logger, rejections, metrics, allowSynchronousIO).InvokeAsync);
    }
}
