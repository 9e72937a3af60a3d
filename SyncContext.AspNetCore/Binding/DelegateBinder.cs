using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using SyncContext.AspNetCore.Routing;

namespace SyncContext.AspNetCore.Binding;

/// <summary>
/// Binds the parameters of a delegate the framework calls on the user's behalf (error handlers, request hooks,
/// status-code handlers, app hooks, background work), once, at start-up, as minimal APIs bind a handler's:
/// services (required unless nullable or defaulted), <c>[FromKeyedServices]</c>, <see cref="HttpContext"/>,
/// <see cref="HttpRequest"/>, <see cref="HttpResponse"/>, <see cref="ClaimsPrincipal"/>,
/// <see cref="IRequestContext"/>, <see cref="IAppContext"/>, <see cref="CancellationToken"/>, and what the hook
/// is about (the exception, the status code). Whatever it cannot bind fails here, with a message naming the
/// parameter, never per call.
/// </summary>
internal static class DelegateBinder
{
    internal const string TrimmingWarning = "Binds the delegate's parameters by reflection and compiles a call to it, as MapGet does.";

    private static readonly PropertyInfo s_httpContext = typeof(HookInvocation).GetProperty(nameof(HookInvocation.HttpContext))!;
    private static readonly PropertyInfo s_cancellation = typeof(HookInvocation).GetProperty(nameof(HookInvocation.Cancellation))!;
    private static readonly PropertyInfo s_exception = typeof(HookInvocation).GetProperty(nameof(HookInvocation.Exception))!;
    private static readonly PropertyInfo s_statusCode = typeof(HookInvocation).GetProperty(nameof(HookInvocation.StatusCode))!;
    private static readonly MethodInfo s_resolve = typeof(DelegateBinder).GetMethod(nameof(Resolve), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_resolveKeyed = typeof(DelegateBinder).GetMethod(nameof(ResolveKeyed), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_requireRequest = typeof(DelegateBinder).GetMethod(nameof(RequireRequest), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo s_fromTask = typeof(HookResults).GetMethod(nameof(HookResults.FromTask), BindingFlags.Public | BindingFlags.Static)!;
    private static readonly MethodInfo s_fromTaskOf = typeof(HookResults).GetMethod(nameof(HookResults.FromTaskOf), BindingFlags.Public | BindingFlags.Static)!;
    private static readonly MethodInfo s_fromValueTask = typeof(HookResults).GetMethod(nameof(HookResults.FromValueTask), BindingFlags.Public | BindingFlags.Static)!;
    private static readonly MethodInfo s_fromValueTaskOf = typeof(HookResults).GetMethod(nameof(HookResults.FromValueTaskOf), BindingFlags.Public | BindingFlags.Static)!;

    /// <summary>Binds <paramref name="handler"/> for <paramref name="signature"/>, checking services against <paramref name="services"/>.</summary>
    /// <exception cref="InvalidOperationException">SyncContext is not registered, or a parameter cannot be bound (the message names it).</exception>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    public static BoundHook Bind(Delegate handler, HookSignature signature, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(handler);

        // Checked first so that a missing registration is reported as such, not as unbindable services.
        OffloadChecks.EnsureRegistered(services);
        var compiled = Compile(handler, signature, services);
        return new BoundHook(handler, compiled.Invoke, compiled.IsAsync, compiled.ReturnsValue);
    }

    /// <summary>The declared type of the exception parameter, which is also an error handler's filter; any exception without one.</summary>
    public static Type FindExceptionType(Delegate handler, HookSignature signature)
    {
        ParameterInfo? found = null;
        foreach (var parameter in ParametersOf(handler))
        {
            if (!typeof(Exception).IsAssignableFrom(parameter.ParameterType))
            {
                continue;
            }

            if (found is not null)
            {
                throw new InvalidOperationException(
                    $"The {signature.Role} passed to {signature.Call} has two exception parameters, '{found.Name}' and '{parameter.Name}'. " +
                    "It takes at most one: its type selects the exceptions the handler answers.");
            }

            found = parameter;
        }

        return found?.ParameterType ?? typeof(Exception);
    }

    /// <summary>Whether a delegate with this return type completes asynchronously.</summary>
    public static bool IsAwaitable(Type returnType) => OffloadChecks.IsAwaitable(returnType);

    public static string Display(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
        return $"{name}<{string.Join(", ", type.GetGenericArguments().Select(Display))}>";
    }

    private static ParameterInfo[] ParametersOf(Delegate handler)
    {
        // A delegate over a static method closed on its first argument has one parameter fewer than its method.
        var invokeParameters = handler.GetType().GetMethod("Invoke")!.GetParameters();
        var parameters = handler.Method.GetParameters();
        return parameters.Length != invokeParameters.Length ? invokeParameters : parameters;
    }

    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static Compiled Compile(Delegate handler, HookSignature signature, IServiceProvider services)
    {
        var returnType = handler.Method.ReturnType;
        var isAsync = IsAwaitable(returnType);
        if (isAsync && (!signature.AllowAsync || !IsTaskLike(returnType)))
        {
            throw new InvalidOperationException(signature.AllowAsync
                ? $"The {signature.Role} passed to {signature.Call} returns {Display(returnType)}: return void or a value to run it on the SyncContext executor, or Task, Task<T>, ValueTask or ValueTask<T> to run it where it is called."
                : $"{signature.Call} runs a synchronous {signature.Role} on the SyncContext executor, but this one returns {Display(returnType)}.");
        }

        var parameters = ParametersOf(handler);
        var target = Expression.Parameter(typeof(Delegate), "handler");
        var invocation = Expression.Parameter(typeof(HookInvocation), "invocation");
        var isService = services.GetService<IServiceProviderIsService>();
        var nullability = new NullabilityInfoContext();

        var arguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = BindParameter(parameters[i], signature, invocation, isService, nullability);
        }

        Expression call = Expression.Invoke(Expression.Convert(target, handler.GetType()), arguments);
        call = ConvertResult(call, returnType, isAsync);

        var invoke = Expression.Lambda<Func<Delegate, HookInvocation, object?>>(call, target, invocation).Compile();
        var returnsValue = isAsync
            ? returnType.IsGenericType
            : returnType != typeof(void);
        return new Compiled(invoke, isAsync, returnsValue);
    }

    private static bool IsTaskLike(Type type)
        => type == typeof(Task) || type == typeof(ValueTask)
           || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)));

    /// <summary>Boxes a synchronous result; turns an asynchronous one into the <c>Task&lt;object?&gt;</c> the caller awaits.</summary>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static Expression ConvertResult(Expression call, Type returnType, bool isAsync)
    {
        if (!isAsync)
        {
            return returnType == typeof(void)
                ? Expression.Block(call, Expression.Constant(null, typeof(object)))
                : Expression.Convert(call, typeof(object));
        }

        MethodInfo adapter;
        if (returnType == typeof(Task))
        {
            adapter = s_fromTask;
        }
        else if (returnType == typeof(ValueTask))
        {
            adapter = s_fromValueTask;
        }
        else if (returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            adapter = s_fromValueTaskOf.MakeGenericMethod(returnType.GetGenericArguments());
        }
        else
        {
            adapter = s_fromTaskOf.MakeGenericMethod(returnType.GetGenericArguments());
        }

        return Expression.Convert(Expression.Call(adapter, call), typeof(object));
    }

    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static Expression BindParameter(ParameterInfo parameter, HookSignature signature, ParameterExpression invocation, IServiceProviderIsService? isService, NullabilityInfoContext nullability)
    {
        var type = parameter.ParameterType;
        if (type.IsByRef || type.IsPointer || type.IsByRefLike)
        {
            throw Unbindable(parameter, signature, "it is passed by reference or is a ref struct, which a delegate called by the framework cannot receive");
        }

        var optional = parameter.HasDefaultValue || IsNullable(parameter, nullability);
        var fallback = parameter.HasDefaultValue ? DefaultOf(parameter) : null;

        if (parameter.GetCustomAttribute<FromKeyedServicesAttribute>() is { } keyed)
        {
            if (!optional && isService is IServiceProviderIsKeyedService isKeyed && !isKeyed.IsKeyedService(type, keyed.Key))
            {
                throw Unbindable(parameter, signature, $"no keyed service of that type is registered with the key '{keyed.Key}'. Register it, or make the parameter nullable or give it a default value");
            }

            return Expression.Convert(
                Expression.Call(s_resolveKeyed, invocation, Expression.Constant(type, typeof(Type)), Expression.Constant(keyed.Key, typeof(object)), Expression.Constant(NameOf(parameter)), Expression.Constant(!optional), Expression.Constant(fallback, typeof(object))),
                type);
        }

        var fromServices = parameter.GetCustomAttribute<FromServicesAttribute>() is not null;
        if (!fromServices && BindSpecial(parameter, signature, invocation) is { } special)
        {
            return special;
        }

        // IAppContext, IRequestContext and everything else come from the call's services. AddSyncContext()
        // registers the two contexts, so they pass the check below like any other registered service.
        if (!optional && isService is not null && !isService.IsService(type))
        {
            throw Unbindable(parameter, signature,
                $"it is not {signature.BindableNames()}, and no service of that type is registered. Register the service, or make the parameter nullable or give it a default value");
        }

        var resolved = Expression.Call(
            s_resolve,
            invocation,
            Expression.Constant(type, typeof(Type)),
            Expression.Constant(NameOf(parameter)),
            Expression.Constant(!optional),
            Expression.Constant(fallback, typeof(object)));
        return Expression.Convert(resolved, type);
    }

    /// <summary>The parameters that are not services: what the call is about, the request and the token.</summary>
    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static Expression? BindSpecial(ParameterInfo parameter, HookSignature signature, ParameterExpression invocation)
    {
        var type = parameter.ParameterType;
        if (typeof(Exception).IsAssignableFrom(type))
        {
            if (!signature.Binds(HookArguments.Exception))
            {
                throw Unbindable(parameter, signature, $"a {signature.Role} is not about an exception");
            }

            // An error handler's filter guarantees the type; a teardown hook gets null for no (or another) exception.
            return Expression.TypeAs(Expression.Property(invocation, s_exception), type);
        }

        if (signature.Binds(HookArguments.StatusCode) && (type == typeof(int) || type == typeof(HttpStatusCode)))
        {
            return Expression.Convert(Expression.Property(invocation, s_statusCode), type);
        }

        if (type == typeof(CancellationToken))
        {
            return Expression.Property(invocation, s_cancellation);
        }

        if (type == typeof(HttpContext) || type == typeof(HttpRequest) || type == typeof(HttpResponse) || type == typeof(ClaimsPrincipal) || type == typeof(IRequestContext))
        {
            if (!signature.Binds(HookArguments.Request))
            {
                throw Unbindable(parameter, signature, $"a {signature.Role} runs outside any request");
            }

            if (type == typeof(IRequestContext))
            {
                return null; // a scoped service of the request
            }

            var context = Expression.Call(s_requireRequest, invocation);
            return type == typeof(HttpContext) ? context
                : type == typeof(HttpRequest) ? Expression.Property(context, nameof(HttpContext.Request))
                : type == typeof(HttpResponse) ? Expression.Property(context, nameof(HttpContext.Response))
                : Expression.Property(context, nameof(HttpContext.User));
        }

        return null;
    }

    private static HttpContext RequireRequest(HookInvocation invocation)
        => invocation.HttpContext ?? throw new InvalidOperationException("This delegate was bound for a request but called outside one.");

    /// <summary>Resolves one parameter per call; unboxed or cast by the compiled call.</summary>
    private static object? Resolve(HookInvocation invocation, Type type, string name, bool required, object? fallback)
    {
        var service = invocation.Services.GetService(type);
        if (service is null && required)
        {
            // Only when the container cannot say at start-up which services it has.
            throw new InvalidOperationException($"No service of type {Display(type)} is registered for the parameter '{name}'.");
        }

        return service ?? fallback;
    }

    private static object? ResolveKeyed(HookInvocation invocation, Type type, object? key, string name, bool required, object? fallback)
    {
        var service = invocation.Services is IKeyedServiceProvider keyed ? keyed.GetKeyedService(type, key) : null;
        if (service is null && required)
        {
            throw new InvalidOperationException($"No service of type {Display(type)} is registered with the key '{key}' for the parameter '{name}'.");
        }

        return service ?? fallback;
    }

    private static string NameOf(ParameterInfo parameter) => parameter.Name ?? $"#{parameter.Position}";

    private static bool IsNullable(ParameterInfo parameter, NullabilityInfoContext nullability)
        => parameter.ParameterType.IsValueType
            ? Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            : nullability.Create(parameter).WriteState == NullabilityState.Nullable;

    [RequiresUnreferencedCode(TrimmingWarning)]
    [RequiresDynamicCode(TrimmingWarning)]
    private static object? DefaultOf(ParameterInfo parameter)
    {
        var value = parameter.DefaultValue;
        var type = parameter.ParameterType;

        // 'default' for a non-nullable struct is recorded as null; the compiled call must unbox a real value.
        return value is null && type.IsValueType && Nullable.GetUnderlyingType(type) is null
            ? RuntimeHelpers.GetUninitializedObject(type)
            : value;
    }

    private static InvalidOperationException Unbindable(ParameterInfo parameter, HookSignature signature, string reason)
        => new($"{signature.Call} cannot bind the {signature.Role}'s parameter '{parameter.Name}' of type {Display(parameter.ParameterType)}: {reason}.");

    private sealed record Compiled(Func<Delegate, HookInvocation, object?> Invoke, bool IsAsync, bool ReturnsValue);
}
