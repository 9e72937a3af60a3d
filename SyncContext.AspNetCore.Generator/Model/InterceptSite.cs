namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>
/// One call to intercept: the compiler's opaque location (<c>[InterceptsLocation(Version, Data)]</c>),
/// where it is for people (<c>Program.cs(12,5)</c>), and where to report a diagnostic about it.
/// </summary>
internal readonly record struct InterceptSite(int Version, string Data, string DisplayLocation, LocationInfo Location);
