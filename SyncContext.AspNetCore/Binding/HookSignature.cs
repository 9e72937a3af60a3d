namespace SyncContext.AspNetCore.Binding;

/// <summary>What a kind of hook can bind beside services and <see cref="IAppContext"/>.</summary>
[Flags]
internal enum HookArguments
{
    /// <summary>Services, <see cref="IAppContext"/> and <see cref="CancellationToken"/> only: an app hook or background work.</summary>
    None = 0,

    /// <summary><c>HttpContext</c>, <c>HttpRequest</c>, <c>HttpResponse</c>, <c>ClaimsPrincipal</c> and <see cref="IRequestContext"/>.</summary>
    Request = 1,

    /// <summary>An exception parameter (any type derived from <see cref="System.Exception"/>).</summary>
    Exception = 2,

    /// <summary>An <see cref="int"/> or <see cref="System.Net.HttpStatusCode"/> parameter: the response's status code.</summary>
    StatusCode = 4,
}

/// <summary>
/// Describes one kind of delegate the framework calls, for binding and for the messages a user reads when a
/// parameter cannot be bound.
/// </summary>
/// <param name="Call">The API the delegate was given to, for example <c>UseBeforeRequest</c>.</param>
/// <param name="Role">What the delegate is, for example <c>before-request hook</c>.</param>
/// <param name="Arguments">What it can bind beside services.</param>
/// <param name="AllowAsync">Whether a delegate returning <see cref="Task"/> or <see cref="ValueTask"/> is accepted (and run inline).</param>
internal sealed record HookSignature(string Call, string Role, HookArguments Arguments, bool AllowAsync = true)
{
    public bool Binds(HookArguments arguments) => (Arguments & arguments) == arguments;

    /// <summary>What a parameter of this kind of hook can be beside a service, for messages.</summary>
    public string BindableNames()
    {
        var names = new List<string>();
        if (Binds(HookArguments.Exception))
        {
            names.Add("the exception");
        }

        if (Binds(HookArguments.StatusCode))
        {
            names.Add("the status code (int or HttpStatusCode)");
        }

        if (Binds(HookArguments.Request))
        {
            names.AddRange(["HttpContext", "HttpRequest", "HttpResponse", "ClaimsPrincipal", "IRequestContext"]);
        }

        names.AddRange(["IAppContext", "CancellationToken"]);
        return string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
