using System.Text;

namespace SyncContext.Tests.Fidelity;

/// <summary>
/// Writes the one app every mode runs: each shape's <see cref="Shape.Map"/> call on its own group under a
/// root group (which the runtime-convention mode offloads with <c>.OffloadSync()</c>), the sync
/// re-execution targets <c>/error</c> and <c>/status/{code}</c>, and the types the handlers use.
/// </summary>
internal static class FidelityProgram
{
    /// <summary>The request header carrying the id under which <c>P</c> records the handler's thread.</summary>
    public const string RequestIdHeader = "X-Fidelity-Request";

    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Globalization;
        using System.IO;
        using System.IO.Pipelines;
        using System.Linq;
        using System.Reflection;
        using System.Runtime.CompilerServices;
        using System.Security.Claims;
        using System.Text;
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.Features;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.ModelBinding;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Options;
        using Microsoft.Extensions.Primitives;

        """;

    private const string Probe = $$"""
        namespace Fidelity
        {
            /// <summary>Records, per request, which thread each handler (and each lazily produced item) ran on.</summary>
            public static class P
            {
                private static readonly HttpContextAccessor s_accessor = new();

                public static void Here() => Record("handler");

                public static T T<T>(T value)
                {
                    Record("handler");
                    return value;
                }

                public static T Item<T>(T value)
                {
                    Record("item");
                    return value;
                }

                public static T Throw<T>(string message)
                {
                    Record("handler");
                    throw new InvalidOperationException(message);
                }

                private static void Record(string what)
                {
                    var context = s_accessor.HttpContext;
                    if (context is null)
                    {
                        return;
                    }

                    var traces = (ConcurrentDictionary<string, ConcurrentQueue<string>>?)context.RequestServices
                        .GetService(typeof(ConcurrentDictionary<string, ConcurrentQueue<string>>));
                    var id = context.Request.Headers["{{RequestIdHeader}}"].ToString();
                    traces?.GetOrAdd(id, _ => new ConcurrentQueue<string>()).Enqueue(what + "@" + (Thread.CurrentThread.Name ?? "unnamed"));
                }
            }
        }

        """;

    /// <summary>The app's source, mapping the shapes whose index <paramref name="mapped"/> accepts (all by default).</summary>
    public static string Source(IReadOnlyList<Shape> shapes, Func<int, bool>? mapped = null)
    {
        mapped ??= _ => true;
        var source = new StringBuilder(Usings).Append(Probe).Append(FidelityTypes.Source);
        source.Append("""
            namespace Fidelity
            {
                public static class App
                {
                    public static void ConfigureServices(IServiceCollection services) => Services.Add(services);

                    public static void Configure(WebApplication app, bool offload)
                    {
                        // Re-execution only under /rx, so every other shape shows what a client gets without it.
                        // Routing after the branch, so the re-executed request is routed to /error or /status/{code}.
                        app.UseWhen(
                            context => context.Request.Path.StartsWithSegments("/rx"),
                            branch =>
                            {
                                branch.UseExceptionHandler("/error");
                                branch.UseStatusCodePagesWithReExecute("/status/{0}");
                            });
                        app.UseRouting();

                        var root = app.MapGroup("").DisableAntiforgery();
                        if (offload)
                        {
                            root.OffloadSync();
                        }

                        root.Map("/error", (HttpContext context) => P.T(
                            "error page: " + context.Features.Get<IExceptionHandlerPathFeature>()?.Error.GetType().Name
                            + " '" + context.Features.Get<IExceptionHandlerPathFeature>()?.Error.Message
                            + "' at " + context.Features.Get<IExceptionHandlerPathFeature>()?.Path
                            + ", status " + context.Response.StatusCode));
                        root.Map("/status/{code:int}", (int code, HttpContext context) => P.T(
                            "status page " + code + " for " + context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
                            + context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalQueryString));

            """);
        for (var i = 0; i < shapes.Count; i++)
        {
            if (mapped(i))
            {
                source.Append($"            Shape_{i}(root);\n");
            }
        }

        source.Append("        }\n");
        for (var i = 0; i < shapes.Count; i++)
        {
            if (!mapped(i))
            {
                continue;
            }

            // One method per shape, so a shape ASP.NET Core rejects can be found by mapping it alone.
            source.Append($"\n        /// <summary>{shapes[i]}</summary>\n");
            source.Append($"        public static void Shape_{i}(IEndpointRouteBuilder root) => root.MapGroup(\"{shapes[i].Prefix}\").{shapes[i].Map};\n");
        }

        source.Append("    }\n}\n");
        return source.ToString();
    }

}
