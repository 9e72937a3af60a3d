using System.Net.Sockets;
using System.Text;
using SyncContext.Tests.Routing;

namespace SyncContext.Tests.Streaming;

/// <summary>A response as its bytes arrive, chunk framing included, which HttpClient hides.</summary>
internal static class RawHttp
{
    /// <summary>Sends a GET and hands back the connection, to read the response from.</summary>
    public static async Task<TcpClient> OpenAsync(KestrelApp app, string path)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(app.Client.BaseAddress!.Host, app.Client.BaseAddress.Port);
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        return tcp;
    }

    /// <summary>The whole response, as sent.</summary>
    public static async Task<string> GetAsync(KestrelApp app, string path)
    {
        using var tcp = await OpenAsync(app, path);
        var stream = tcp.GetStream();
        using var all = new MemoryStream();
        await stream.CopyToAsync(all).WaitAsync(TestHosts.HangGuard);
        return Encoding.UTF8.GetString(all.ToArray());
    }
}
