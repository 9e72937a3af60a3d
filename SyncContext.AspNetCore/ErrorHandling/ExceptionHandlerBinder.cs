using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SyncContext.AspNetCore.Binding;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.ErrorHandling;

/// <summary>
/// The runtime fallback for <c>UseExceptionHandler(Delegate)</c> when the generator has not rewritten the call:
/// the shared <see cref="DelegateBinder"/> reads the handler's parameters once, at start-up, and the result is
/// the same <c>Func&lt;HttpContext, TException, object?&gt;</c> the generator would emit, handed to
/// <see cref="SyncContextExceptionHandlers.Use{TException}"/>. Whatever it cannot bind fails here, not per request.
/// </summary>
internal static class ExceptionHandlerBinder
{
    internal const string TrimmingWarning = DelegateBinder.TrimmingWarning;

    private static readonly HookSignature s_signature = new(
        "UseExceptionHandler", "error handler", HookArguments.Request | HookArguments.Exception, AllowAsync: false);

    private static readonly MethodInfo s_use = typeof(ExceptionHandlerBinder).GetMethod(nameof(UseBound), BindingFlags.NonPublic | BindingFlags.Static)!;

    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static IApplicationBuilder Use(IApplicationBuilder app, Delegate handler)
    {
        // Checked first so that a missing registration is reported as such, not as unbindable services.
        OffloadChecks.EnsureRegistered(app.ApplicationServices);

        var returnType = handler.Method.ReturnType;
        if (DelegateBinder.IsAwaitable(returnType))
        {
            throw new InvalidOperationException(
                $"UseExceptionHandler(Delegate) runs a synchronous error handler on the SyncContext executor, but this one returns {DelegateBinder.Display(returnType)}. " +
                "Make it synchronous, or use ASP.NET Core's UseExceptionHandler(errorApp => ...) or an IExceptionHandler for asynchronous error handling.");
        }

        var exceptionType = DelegateBinder.FindExceptionType(handler, s_signature);
        var bound = DelegateBinder.Bind(handler, s_signature, app.ApplicationServices);
        return (IApplicationBuilder)s_use.MakeGenericMethod(exceptionType)
            .Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, [app, bound], culture: null)!;
    }

    private static IApplicationBuilder UseBound<TException>(IApplicationBuilder app, BoundHook bound)
        where TException : Exception
        => SyncContextExceptionHandlers.Use<TException>(app, (context, exception) => bound.Invoke(HookInvocation.ForRequest(context, exception)));
}
