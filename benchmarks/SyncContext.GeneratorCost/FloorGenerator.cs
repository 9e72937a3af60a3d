using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SyncContext.GeneratorCost;

/// <summary>
/// The least a generator that must know what each Map call binds to can do: the same syntax filter, then one
/// <c>GetOperation</c> per candidate on a model without nullable analysis, and nothing else. Its time is the compiler's
/// binding of the calls; the SyncContext generator's time above it is its own work.
/// </summary>
internal sealed class FloorGenerator : IIncrementalGenerator
{
    // One model per driver model, as the parser's BindingModel: a new model per call would bind the whole method each time.
    private static readonly ConditionalWeakTable<SemanticModel, SemanticModel> s_models = new();

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var calls = context.SyntaxProvider.CreateSyntaxProvider(
            static (node, _) => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "Map" or "MapFallback" } },
            static (context, cancellationToken) => s_models
                .GetValue(context.SemanticModel, static model => model.Compilation.GetSemanticModel(model.SyntaxTree, SemanticModelOptions.DisableNullableAnalysis))
                .GetOperation(context.Node, cancellationToken) is null ? 0 : 1);
        context.RegisterSourceOutput(calls.Collect(), static (_, _) => { });
    }
}
