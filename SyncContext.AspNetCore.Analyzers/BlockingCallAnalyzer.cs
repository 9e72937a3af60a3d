using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using SyncContext.AspNetCore.Analyzers.Blocking;
using SyncContext.AspNetCore.Analyzers.Scopes;

namespace SyncContext.AspNetCore.Analyzers;

/// <summary>
/// Reports known blocking calls in request code that runs on the thread pool: async (or task-returning) endpoint
/// handlers, middleware and endpoint filters. Sync handlers are left alone: SyncContext runs them on its executor,
/// which is where blocking belongs, and so are lambdas handed to <c>IRunSync.RunAsync</c>.
/// </summary>
/// <remarks>
/// Lambdas, middleware and filters are reported as their code is analyzed. A method passed to a Map call by name
/// is a handler only if some Map call in the compilation names it, so its calls are held until the compilation
/// ends and reported then; the descriptors are not tagged CompilationEnd because every other case is reported live.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.Sleep,
        DiagnosticDescriptors.SyncOverAsync,
        DiagnosticDescriptors.SyncIo,
        DiagnosticDescriptors.SyncDatabase,
        DiagnosticDescriptors.SyncWait);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = new KnownTypes(context.Compilation);
        if (!types.IsAspNetCore)
        {
            return;
        }

        var apis = BlockingApis.Create(context.Compilation);
        var scopes = new RequestScopeFinder(types);
        var handlerMethods = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
        var heldForHandlerMethods = new ConcurrentQueue<(IMethodSymbol Method, Diagnostic Diagnostic)>();

        context.RegisterOperationAction(
            operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                if (scopes.TryGetHandlerMethodGroup(invocation, out var handler))
                {
                    if (handler is not null)
                    {
                        handlerMethods.TryAdd(handler, true);
                    }

                    return;
                }

                Analyze(operationContext, invocation.TargetMethod, invocation.Instance?.Type);
            },
            OperationKind.Invocation);

        context.RegisterOperationAction(
            operationContext =>
            {
                var reference = (IPropertyReferenceOperation)operationContext.Operation;
                Analyze(operationContext, reference.Property, reference.Instance?.Type);
            },
            OperationKind.PropertyReference);

#pragma warning disable RS1037 // Only the method-group handler case is reported here; see the remarks.
        context.RegisterCompilationEndAction(endContext =>
        {
            foreach (var (method, diagnostic) in heldForHandlerMethods)
            {
                if (handlerMethods.ContainsKey(method))
                {
                    endContext.ReportDiagnostic(diagnostic);
                }
            }
        });
#pragma warning restore RS1037

        void Analyze(OperationAnalysisContext operationContext, ISymbol member, ITypeSymbol? receiverType)
        {
            if (apis.Find(member, receiverType) is not { } kind || IsNonBlockingProbe(operationContext.Operation))
            {
                return;
            }

            var scope = scopes.Find(operationContext.Operation, operationContext.ContainingSymbol);
            if (scope.Kind == ScopeKind.None)
            {
                return;
            }

            var diagnostic = CreateDiagnostic(operationContext.Operation, member, kind, scope);
            if (scope.MethodCandidate is { } method)
            {
                heldForHandlerMethods.Enqueue((method, diagnostic));
            }
            else
            {
                operationContext.ReportDiagnostic(diagnostic);
            }
        }
    }

    /// <summary><c>semaphore.Wait(0)</c>, <c>handle.WaitOne(0)</c>: a zero timeout only tests the state.</summary>
    private static bool IsNonBlockingProbe(IOperation operation)
        => operation is IInvocationOperation { Arguments.Length: > 0 } invocation
            && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: 0 };

    private static Diagnostic CreateDiagnostic(IOperation operation, ISymbol member, BlockingKind kind, RequestScope scope)
    {
        var (fix, methodName) = AsyncAlternative.Find(operation, kind);
        var isHandler = scope.Kind is ScopeKind.AsyncHandler or ScopeKind.TaskReturningHandler;

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        var additionalLocations = new List<Location>();
        if (fix is not null)
        {
            properties[AsyncAlternative.FixKey] = fix;
            properties[AsyncAlternative.MethodKey] = methodName;
        }

        if (isHandler && scope.Declaration is IAnonymousFunctionOperation lambda)
        {
            properties[AsyncAlternative.HandlerKey] = "true";
            additionalLocations.Add(lambda.Syntax.GetLocation());
        }

        var where = scope.Kind switch
        {
            ScopeKind.AsyncHandler => "an async endpoint handler",
            ScopeKind.TaskReturningHandler => "a task-returning endpoint handler",
            ScopeKind.Middleware => "a middleware",
            _ => "an endpoint filter",
        };

        var instead = fix switch
        {
            AsyncAlternative.Delay => "use 'await Task.Delay' instead",
            AsyncAlternative.Await => "await the task instead",
            AsyncAlternative.Method => $"use 'await {methodName}' instead",
            _ => null,
        };
        var offload = isHandler
            ? "make the handler synchronous so SyncContext runs it on its own threads"
            : "move the call into IRunSync.RunAsync";
        var advice = instead is null ? offload : instead + ", or " + offload;

        return Diagnostic.Create(
            DiagnosticDescriptors.For(kind),
            operation.Syntax.GetLocation(),
            additionalLocations,
            properties.ToImmutable(),
            member.ContainingType.Name + "." + member.Name,
            where,
            advice);
    }
}
