using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace SyncContext.AspNetCore.Generator.Parsing;

/// <summary>
/// The semantic model the Map call parser asks: the driver's, but without nullable analysis.
/// </summary>
/// <remarks>
/// With nullable reference types on (every template's default), the first question about any node of a method makes the
/// compiler bind the whole method and run its nullable flow analysis over it, every lambda of it included: for a
/// Program.cs with 500 endpoints that one question was about half of the generator's time (see benchmarks/GENERATOR.md).
/// What a Map call's parser needs (the method it calls, the handler's symbol, async or not, its return type, its
/// attributes, the intercepted location) does not come from flow analysis, so this model skips it and binds only the
/// statements asked about. One per driver model (one per tree and run), so that the Map calls of a tree share what it
/// has bound.
/// </remarks>
internal static class BindingModel
{
    private static readonly ConditionalWeakTable<SemanticModel, SemanticModel> s_models = new();

    // SemanticModelOptions is experimental in Roslyn: should a later compiler drop it, the driver's model still answers.
    private static volatile bool s_unavailable;

    public static SemanticModel For(SemanticModel model)
    {
        if (s_unavailable)
        {
            return model;
        }

        try
        {
            return s_models.GetValue(model, WithoutNullableAnalysis);
        }
        catch (Exception exception) when (exception is MissingMethodException or TypeLoadException)
        {
            s_unavailable = true;
            return model;
        }
    }

    private static SemanticModel WithoutNullableAnalysis(SemanticModel model)
        => model.Compilation.GetSemanticModel(model.SyntaxTree, SemanticModelOptions.DisableNullableAnalysis);
}
