namespace SyncContext.AspNetCore.Generator.Model;

/// <summary>The project-wide switches the generator honours.</summary>
/// <param name="InterceptorsEnabled">Whether <c>SyncContext.Generated</c> is in the project's <c>InterceptorsNamespaces</c>.</param>
/// <param name="RequestDelegateGeneratorEnabled">Whether ASP.NET Core's Request Delegate Generator intercepts the same calls.</param>
internal readonly record struct GeneratorSettings(bool InterceptorsEnabled, bool RequestDelegateGeneratorEnabled);
