namespace SyncContext;

/// <summary>
/// Stores session data with synchronous, possibly blocking calls. Registered with
/// <c>AddSyncSessionStore&lt;TStore&gt;()</c>, it backs ASP.NET Core's own sessions (<c>app.UseSession()</c>,
/// <c>HttpContext.Session</c>), and every call runs on the SyncContext executor with the request's context.
/// </summary>
/// <remarks>
/// <para>
/// This is Quart's <c>SessionInterface</c>: <see cref="Load"/> is its <c>open_session</c>, <see cref="Save"/> and
/// <see cref="Refresh"/> its <c>save_session</c>. Its <c>make_null_session</c> is ASP.NET Core's: when
/// <see cref="Load"/> throws while the app reads the session, the session is unavailable for the request
/// (<c>ISession.IsAvailable</c> is <see langword="false"/>, reads find nothing, writes are ignored) and the
/// failure is logged.
/// </para>
/// <para>
/// The data is opaque: ASP.NET Core serializes the whole session into one value. Calls for different
/// sessions arrive concurrently, on several executor threads, so an implementation must be thread-safe.
/// An exception from <see cref="Save"/> or <see cref="Refresh"/> is logged and that request's changes are
/// lost; the response is not changed.
/// </para>
/// </remarks>
public interface ISyncSessionStore
{
    /// <summary>Loads a session's data.</summary>
    /// <param name="sessionKey">The key from the session cookie.</param>
    /// <returns>The data last saved, or <see langword="null"/> when there is none or it has expired.</returns>
    byte[]? Load(string sessionKey);

    /// <summary>Saves a session's data, replacing what was there, to expire after <paramref name="idleTimeout"/> unless used again.</summary>
    /// <param name="sessionKey">The key from the session cookie.</param>
    /// <param name="data">The serialized session.</param>
    /// <param name="idleTimeout">How long the session lives without a request (<c>SessionOptions.IdleTimeout</c>).</param>
    void Save(string sessionKey, byte[] data, TimeSpan idleTimeout);

    /// <summary>Keeps an unchanged session alive for another <paramref name="idleTimeout"/>; does nothing when there is no such session.</summary>
    /// <param name="sessionKey">The key from the session cookie.</param>
    /// <param name="idleTimeout">How long the session lives without a request (<c>SessionOptions.IdleTimeout</c>).</param>
    void Refresh(string sessionKey, TimeSpan idleTimeout);
}
