// Written once by a script and kept by hand: one class per arity, each only forwarding its arguments to
// Offloader<TResult>, which does the work. RDF calls Invoke (InvokeVoid for a void handler, InvokeText for a string one) with the
// arguments it bound from the request for the user's own parameters, so each arity needs its own signature.
namespace SyncContext.AspNetCore.Routing;

/// <summary>Offloads a handler without parameters.</summary>
internal sealed class OffloadedHandler<TResult>(Func<TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<TResult> _handler = handler;

    public Task<TResult> Invoke() => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this), admission, aborted) : Refused(admission);

    public Task InvokeVoid() => Invoke();

    public Task InvokeText() => WriteText(Invoke());

    private sealed class Arguments(OffloadedHandler<TResult> owner) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler();
    }
}

/// <summary>Offloads a handler of 1 parameter.</summary>
internal sealed class OffloadedHandler<T1, TResult>(Func<T1, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1) => Invoke(a1);

    public Task InvokeText(T1 a1) => WriteText(Invoke(a1));

    private sealed class Arguments(OffloadedHandler<T1, TResult> owner, T1 a1) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1);
    }
}

/// <summary>Offloads a handler of 2 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, TResult>(Func<T1, T2, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2) => Invoke(a1, a2);

    public Task InvokeText(T1 a1, T2 a2) => WriteText(Invoke(a1, a2));

    private sealed class Arguments(OffloadedHandler<T1, T2, TResult> owner, T1 a1, T2 a2) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2);
    }
}

/// <summary>Offloads a handler of 3 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3) => Invoke(a1, a2, a3);

    public Task InvokeText(T1 a1, T2 a2, T3 a3) => WriteText(Invoke(a1, a2, a3));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, TResult> owner, T1 a1, T2 a2, T3 a3) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3);
    }
}

/// <summary>Offloads a handler of 4 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, TResult>(Func<T1, T2, T3, T4, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4) => Invoke(a1, a2, a3, a4);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4) => WriteText(Invoke(a1, a2, a3, a4));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4);
    }
}

/// <summary>Offloads a handler of 5 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, TResult>(Func<T1, T2, T3, T4, T5, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => Invoke(a1, a2, a3, a4, a5);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => WriteText(Invoke(a1, a2, a3, a4, a5));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5);
    }
}

/// <summary>Offloads a handler of 6 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, TResult>(Func<T1, T2, T3, T4, T5, T6, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => Invoke(a1, a2, a3, a4, a5, a6);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => WriteText(Invoke(a1, a2, a3, a4, a5, a6));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6);
    }
}

/// <summary>Offloads a handler of 7 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) => Invoke(a1, a2, a3, a4, a5, a6, a7);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7);
    }
}

/// <summary>Offloads a handler of 8 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8);
    }
}

/// <summary>Offloads a handler of 9 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9);
    }
}

/// <summary>Offloads a handler of 10 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    }
}

/// <summary>Offloads a handler of 11 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
    }
}

/// <summary>Offloads a handler of 12 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    }
}

/// <summary>Offloads a handler of 13 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
    }
}

/// <summary>Offloads a handler of 14 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
    }
}

/// <summary>Offloads a handler of 15 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
    }
}

/// <summary>Offloads a handler of 16 parameters.</summary>
internal sealed class OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult>(Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult> handler, OffloadRuntime runtime) : Offloader<TResult>(runtime)
{
    private readonly Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult> _handler = handler;

    public Task<TResult> Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15, T16 a16) => TryAdmit(out var admission, out var aborted) ? Dispatch(new Arguments(this, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16), admission, aborted) : Refused(admission);

    public Task InvokeVoid(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15, T16 a16) => Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16);

    public Task InvokeText(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15, T16 a16) => WriteText(Invoke(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16));

    private sealed class Arguments(OffloadedHandler<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult> owner, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15, T16 a16) : OffloadedCall<TResult>(owner)
    {
        protected override TResult Call() => owner._handler(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16);
    }
}
