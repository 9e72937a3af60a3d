namespace SyncContext.Tests.Generator;

/// <summary>
/// The contract of the exception-handler runtime (worktree wt-err), declared in the in-memory source only,
/// so the generator's side compiles and runs before that runtime is merged.
/// </summary>
internal static class ExceptionHandlerRuntimeStub
{
    public const string Source = """
        namespace SyncContext.AspNetCore.ErrorHandling
        {
            public static class SyncContextExceptionHandlers
            {
                public static Microsoft.AspNetCore.Builder.IApplicationBuilder Use<TException>(
                    Microsoft.AspNetCore.Builder.IApplicationBuilder app,
                    System.Func<Microsoft.AspNetCore.Http.HttpContext, TException, object?> invoke)
                    where TException : System.Exception
                    => app;
            }
        }

        namespace Microsoft.AspNetCore.Builder
        {
            public static class SyncContextExceptionHandlerExtensions
            {
                public static IApplicationBuilder UseExceptionHandler(this IApplicationBuilder app, System.Delegate handler) => app;
            }
        }
        """;
}
