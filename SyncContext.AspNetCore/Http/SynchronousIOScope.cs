using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SyncContext.AspNetCore.Http;

/// <summary>
/// Allows synchronous body I/O on a request for one offloaded call. The call runs on a dedicated executor
/// thread, so blocking reads (<c>XmlSerializer</c> on <c>Request.Body</c>, say) cannot starve the pool;
/// everywhere else the server's own setting applies again.
/// </summary>
internal readonly struct SynchronousIOScope : IDisposable
{
    private readonly IHttpBodyControlFeature? _allowedHere;

    public SynchronousIOScope(HttpContext context)
    {
        var bodyControl = context.Features.Get<IHttpBodyControlFeature>();
        if (bodyControl is { AllowSynchronousIO: false })
        {
            bodyControl.AllowSynchronousIO = true;
            _allowedHere = bodyControl;
        }
    }

    public void Dispose()
    {
        if (_allowedHere is not null)
        {
            _allowedHere.AllowSynchronousIO = false;
        }
    }
}
