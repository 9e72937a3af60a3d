using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SyncContext.AspNetCore.Hooks.WebSockets;

/// <summary>Tells a WebSocket request from an ordinary one, wherever the hooks sit in the pipeline.</summary>
internal static class WebSocketRequests
{
    /// <summary>
    /// <c>HttpContext.WebSockets.IsWebSocketRequest</c> once <c>UseWebSockets()</c> has run; before it (or without it)
    /// that answers <see langword="false"/> for every request, so the request itself is read: an HTTP/1.1 upgrade to
    /// <c>websocket</c>, or an HTTP/2 extended CONNECT for the <c>websocket</c> protocol.
    /// </summary>
    public static bool Is(HttpContext context)
    {
        if (context.Features.Get<IHttpWebSocketFeature>() is { } webSockets)
        {
            return webSockets.IsWebSocketRequest;
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        return context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && HttpMethods.IsGet(context.Request.Method)
            && context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
    }
}
