using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.ErrorHandling;

/// <summary>
/// The runtime fallback for <c>UseExceptionHandler(Delegate)</c> when the generator has not rewritten the call:
/// it reads the handler's parameters once, at start-up, and compiles the same
/// <c>Func&lt;HttpContext, TException, object?&gt;</c> the generator would emit, then goes through
/// <see cref="SyncContextExceptionHandlers.Use{TException}"/>. Whatever it cannot bind fails here, not per request.
/// </summary>
internal static class ExceptionHandlerBinder
{
    internal const string TrimmingWarning = "Binds the error handler's parameters by reflection and compiles a call to it, as MapGet does.";

    private static readonly MethodInfo s_use = typeof(SyncContextExceptionHandlers).GetMethod(nameof(SyncContextExceptionHandlers.Use))!;
    private static readonly MethodInfo s_resolve = typeof(ExceptionHandlerBinder).GetMethod(nameof(Resolve), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly PropertyInfo s_requestAborted = typeof(HttpContext).GetProperty(nameof(HttpContext.RequestAborted))!;

    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static IApplicationBuilder Use(IApplicationBuilder app, Delegate handler)
    {
        // Checked first so that a missing registration is reported as such, not as unbindable services.
        OffloadChecks.EnsureRegistered(app.ApplicationServices);

        var method = handler.Method;
        if (OffloadChecks.IsAwaitable(method.ReturnType))
        {
            throw new InvalidOperationException(
                $"UseExceptionHandler(Delegate) runs a synchronous error handler on the SyncContext executor, but this one returns {Display(method.ReturnType)}. " +
                "Make it synchronous, or use ASP.NET Core's UseExceptionHandler(errorApp => ...) or an IExceptionHandler for asynchronous error handling.");
        }

        // A delegate over a static method closed on its first argument has one parameter fewer than its method.
        var invokeParameters = handler.GetType().GetMethod("Invoke")!.GetParameters();
        var parameters = method.GetParameters();
        if (parameters.Length != invokeParameters.Length)
        {
            parameters = invokeParameters;
        }

        var exceptionType = FindExceptionType(parameters);
        var context = Expression.Parameter(typeof(HttpContext), "context");
        var exception = Expression.Parameter(exceptionType, "exception");
        var isService = app.ApplicationServices.GetService<IServiceProviderIsService>();
        var nullability = new NullabilityInfoContext();

        var arguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = Bind(parameters[i], context, exception, isService, nullability);
        }

        Expression call = Expression.Invoke(Expression.Constant(handler, handler.GetType()), arguments);
        call = method.ReturnType == typeof(void)
            ? Expression.Block(call, Expression.Constant(null, typeof(object)))
            : Expression.Convert(call, typeof(object));

        var invokeType = typeof(Func<,,>).MakeGenericType(typeof(HttpContext), exceptionType, typeof(object));
        var invoke = Expression.Lambda(invokeType, call, context, exception).Compile();

        return (IApplicationBuilder)s_use.MakeGenericMethod(exceptionType)
            .Invoke(null, BindingFlags.DoNotWrapExceptions, binder: null, [app, invoke], culture: null)!;
    }

    /// <summary>The declared type of the exception parameter, which is also the filter; any exception without one.</summary>
    private static Type FindExceptionType(ParameterInfo[] parameters)
    {
        ParameterInfo? found = null;
        foreach (var parameter in parameters)
        {
            if (!typeof(Exception).IsAssignableFrom(parameter.ParameterType))
            {
                continue;
            }

            if (found is not null)
            {
                throw new InvalidOperationException(
                    $"The error handler passed to UseExceptionHandler has two exception parameters, '{found.Name}' and '{parameter.Name}'. " +
                    "It takes at most one: its type selects the exceptions the handler answers.");
            }

            found = parameter;
        }

        return found?.ParameterType ?? typeof(Exception);
    }

    private static Expression Bind(ParameterInfo parameter, ParameterExpression context, ParameterExpression exception, IServiceProviderIsService? isService, NullabilityInfoContext nullability)
    {
        var type = parameter.ParameterType;
        if (type.IsByRef || type.IsPointer || type.IsByRefLike)
        {
            throw Unbindable(parameter, "it is passed by reference or is a ref struct, which an error handler cannot receive");
        }

        if (type == exception.Type)
        {
            return exception;
        }

        if (type == typeof(HttpContext))
        {
            return context;
        }

        if (type == typeof(CancellationToken))
        {
            return Expression.Property(context, s_requestAborted);
        }

        // IRequestContext, IAppContext and everything else come from the request's services. AddSyncContext()
        // registers the two contexts, so they pass the check below like any other registered service.
        var optional = parameter.HasDefaultValue || IsNullable(parameter, nullability);
        if (!optional && isService is not null && !isService.IsService(type))
        {
            throw Unbindable(parameter,
                "it is not the exception, HttpContext, IRequestContext, IAppContext or CancellationToken, and no service of that type is registered. " +
                "Register the service, or make the parameter nullable or give it a default value");
        }

        var fallback = parameter.HasDefaultValue ? DefaultOf(parameter) : null;
        var resolved = Expression.Call(
            s_resolve,
            context,
            Expression.Constant(type, typeof(Type)),
            Expression.Constant(parameter.Name ?? $"#{parameter.Position}", typeof(string)),
            Expression.Constant(!optional),
            Expression.Constant(fallback, typeof(object)));
        return Expression.Convert(resolved, type);
    }

    /// <summary>Resolves one handler parameter per request; unboxed or cast by the compiled call.</summary>
    private static object? Resolve(HttpContext context, Type type, string name, bool required, object? fallback)
    {
        var service = context.RequestServices.GetService(type);
        if (service is null && required)
        {
            // Only when the container cannot say at start-up which services it has.
            throw new InvalidOperationException($"No service of type {Display(type)} is registered for the error handler's parameter '{name}'.");
        }

        return service ?? fallback;
    }

    private static bool IsNullable(ParameterInfo parameter, NullabilityInfoContext nullability)
        => parameter.ParameterType.IsValueType
            ? Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            : nullability.Create(parameter).WriteState == NullabilityState.Nullable;

    private static object? DefaultOf(ParameterInfo parameter)
    {
        var value = parameter.DefaultValue;
        var type = parameter.ParameterType;

        // 'default' for a non-nullable struct is recorded as null; the compiled call must unbox a real value.
        return value is null && type.IsValueType && Nullable.GetUnderlyingType(type) is null
            ? RuntimeHelpers.GetUninitializedObject(type)
            : value;
    }

    private static InvalidOperationException Unbindable(ParameterInfo parameter, string reason)
        => new($"UseExceptionHandler cannot bind the error handler's parameter '{parameter.Name}' of type {Display(parameter.ParameterType)}: {reason}.");

    private static string Display(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>";
    }
}
