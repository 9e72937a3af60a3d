namespace SyncContext.Tests.Fidelity;

/// <summary>
/// One handler shape, described once and mapped into every app: <see cref="Map"/> is the C# call made on
/// the shape's own route group (<c>/{Family}/{Name}</c>), for example
/// <c>MapGet("/{id}", (int id) => P.T(id))</c>. Handlers report themselves through <c>P.T(...)</c> or
/// <c>P.Here()</c>, which records the thread they ran on.
/// </summary>
internal sealed record Shape(string Family, string Name, string Map, FidelityRequest[] Requests)
{
    /// <summary>Set when the shape shows a difference the product allows on purpose, and why.</summary>
    public string? AllowedDifference { get; init; }

    /// <summary>An async handler: never offloaded, so its probe must stay off the executor.</summary>
    public bool IsAsync { get; init; }

    /// <summary>Every request is refused before the handler (a required service is missing), so it never runs.</summary>
    public bool IsRefused { get; init; }

    public string Prefix => $"/{Family}/{Name}";

    public override string ToString() => $"{Family}/{Name}";
}

/// <summary>Collects the shapes of one family (one URL segment, one test row per mode).</summary>
internal sealed class ShapeFamily(string family)
{
    private readonly List<Shape> _shapes = [];

    public IReadOnlyList<Shape> Shapes => _shapes;

    public void Add(string name, string map, params FidelityRequest[] requests) => _shapes.Add(new(family, name, map, requests));

    public void Async(string name, string map, params FidelityRequest[] requests) => _shapes.Add(new(family, name, map, requests) { IsAsync = true });

    public void Refused(string name, string map, params FidelityRequest[] requests) => _shapes.Add(new(family, name, map, requests) { IsRefused = true });

    public void Allowed(string name, string why, string map, params FidelityRequest[] requests)
        => _shapes.Add(new(family, name, map, requests) { AllowedDifference = why });
}
