using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Analyzers.Scopes;

/// <summary>The ASP.NET Core and SyncContext types the scope rules name, resolved once per compilation.</summary>
internal sealed class KnownTypes(Compilation compilation)
{
    public INamedTypeSymbol? EndpointRouteBuilderExtensions { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");

    public INamedTypeSymbol? UseExtensions { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.UseExtensions");

    public INamedTypeSymbol? RunExtensions { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.RunExtensions");

    public INamedTypeSymbol? ApplicationBuilder { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.IApplicationBuilder");

    public INamedTypeSymbol? EndpointFilterExtensions { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.EndpointFilterExtensions");

    public INamedTypeSymbol? EndpointFilter { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.IEndpointFilter");

    public INamedTypeSymbol? Middleware { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.IMiddleware");

    public INamedTypeSymbol? HttpContext { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.HttpContext");

    public INamedTypeSymbol? RequestDelegate { get; } = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.RequestDelegate");

    public INamedTypeSymbol? Delegate { get; } = compilation.GetTypeByMetadataName("System.Delegate");

    public INamedTypeSymbol? Task { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");

    public INamedTypeSymbol? ValueTask { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");

    public INamedTypeSymbol? ValueTaskOfT { get; } = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");

    public INamedTypeSymbol? RunSync { get; } = compilation.GetTypeByMetadataName("SyncContext.IRunSync");

    public INamedTypeSymbol? SyncExecutor { get; } = compilation.GetTypeByMetadataName("SyncContext.AspNetCore.Execution.SyncExecutor");

    public INamedTypeSymbol? BackgroundWork { get; } = compilation.GetTypeByMetadataName("SyncContext.IBackgroundWork");

    public bool IsAspNetCore => EndpointRouteBuilderExtensions is not null || ApplicationBuilder is not null;
}
