using Microsoft.Win32.SafeHandles;

namespace SyncContext.AspNetCore.Execution;

/// <summary>
/// Reads, for the worker thread that created it, the CPU time it used and the time it spent ready to run but
/// waiting for a core. On Linux both come from one read of <c>/proc/thread-self/schedstat</c>; elsewhere the
/// CPU time comes from <see cref="ThreadCpuTime"/> and the wait is unknown (zero).
/// </summary>
internal sealed class ThreadRunClock : IDisposable
{
    private readonly SafeFileHandle? _schedstat;
    private readonly byte[] _buffer;

    private ThreadRunClock(SafeFileHandle? schedstat)
    {
        _schedstat = schedstat;
        _buffer = schedstat is null ? [] : new byte[96];
    }

    /// <summary>Opens the clock of the calling thread; only that thread may read it.</summary>
    public static ThreadRunClock ForCurrentThread()
    {
        SafeFileHandle? handle = null;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // thread-self is resolved when the file is opened, so the handle keeps reading this thread.
                handle = File.OpenHandle("/proc/thread-self/schedstat");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                handle = null; // no schedstat (old kernel, restricted /proc): the CPU clock alone
            }
        }

        return new ThreadRunClock(handle);
    }

    /// <summary>Reads the thread's totals since it started; <see langword="false"/> where the OS gives none.</summary>
    /// <param name="cpu">CPU time used.</param>
    /// <param name="runnable">Time spent ready to run but waiting for a core.</param>
    public bool TryRead(out TimeSpan cpu, out TimeSpan runnable)
    {
        if (_schedstat is not null && TryReadSchedstat(out cpu, out runnable))
        {
            return true;
        }

        runnable = TimeSpan.Zero;
        return ThreadCpuTime.TryGetCurrentThread(out cpu);
    }

    /// <inheritdoc />
    public void Dispose() => _schedstat?.Dispose();

    /// <summary>Parses schedstat's first two fields: nanoseconds on the CPU, nanoseconds waiting on a run queue.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> text, out TimeSpan cpu, out TimeSpan runnable)
    {
        cpu = runnable = TimeSpan.Zero;
        if (!TryParseField(ref text, out var cpuNs) || !TryParseField(ref text, out var waitNs))
        {
            return false;
        }

        cpu = TimeSpan.FromTicks(cpuNs / TimeSpan.NanosecondsPerTick);
        runnable = TimeSpan.FromTicks(waitNs / TimeSpan.NanosecondsPerTick);
        return true;
    }

    private static bool TryParseField(ref ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var i = 0;
        while (i < text.Length && text[i] == (byte)' ')
        {
            i++;
        }

        var start = i;
        while (i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (text[i] - '0');
            i++;
        }

        text = text[i..];
        return i > start;
    }

    private bool TryReadSchedstat(out TimeSpan cpu, out TimeSpan runnable)
    {
        int read;
        try
        {
            read = RandomAccess.Read(_schedstat!, _buffer, 0);
        }
        catch (IOException)
        {
            cpu = runnable = TimeSpan.Zero;
            return false;
        }

        return TryParse(_buffer.AsSpan(0, read), out cpu, out runnable);
    }
}
