using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace SyncContext.AspNetCore.ErrorHandling;

/// <summary>
/// Counts the exceptions a synchronous error handler catches on ASP.NET Core's own instrument,
/// <c>aspnetcore.diagnostics.exceptions</c> on the <c>Microsoft.AspNetCore.Diagnostics</c> meter, with its tags, so that
/// a dashboard built for <c>UseExceptionHandler</c> counts these too.
/// </summary>
/// <remarks>
/// The meter factory hands out one meter per name, and the meter one counter per name and shape, so this counter is
/// ASP.NET Core's own when its exception handler is in the app as well. <c>aspnetcore.diagnostics.handler.type</c> is
/// left out, as ASP.NET Core leaves it out for a handler that is not an <c>IExceptionHandler</c>.
/// </remarks>
internal sealed class ExceptionHandlerMetrics
{
    public const string MeterName = "Microsoft.AspNetCore.Diagnostics";

    private readonly Counter<long> _exceptions;

    public ExceptionHandlerMetrics(IMeterFactory meterFactory)
        => _exceptions = meterFactory.Create(MeterName).CreateCounter<long>(
            "aspnetcore.diagnostics.exceptions",
            "{exception}",
            "Number of exceptions caught by exception handling middleware.");

    /// <summary>Counts one caught exception and what became of it.</summary>
    public void Caught(Exception exception, ExceptionResult result)
    {
        if (_exceptions.Enabled)
        {
            Count(exception, result);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Count(Exception exception, ExceptionResult result)
    {
        var tags = new TagList
        {
            { "error.type", exception.GetType().FullName },
            {
                "aspnetcore.diagnostics.exception.result", result switch
                {
                    ExceptionResult.Handled => "handled",
                    ExceptionResult.Unhandled => "unhandled",
                    ExceptionResult.Skipped => "skipped",
                    _ => "aborted",
                }
            },
        };
        _exceptions.Add(1, tags);
    }
}

/// <summary>What the handler made of a caught exception, as ASP.NET Core names it.</summary>
internal enum ExceptionResult
{
    /// <summary>The handler answered the request.</summary>
    Handled,

    /// <summary>The handler failed, so the exception went on.</summary>
    Unhandled,

    /// <summary>The response had started, so the handler was not called and the exception went on.</summary>
    Skipped,

    /// <summary>The client went away; nothing was answered.</summary>
    Aborted,
}
