namespace SyncContext.Tests.Fidelity;

/// <summary>Every shape of the suite, family by family (one file each).</summary>
internal static partial class FidelityShapes
{
    public static readonly IReadOnlyList<Shape> All =
    [
        .. Route(), .. Query(), .. Header(), .. Body(), .. Forms(), .. ServiceShapes(), .. Special(),
        .. AsParameters(), .. Binders(), .. Methods(), .. Returns(), .. ResultShapes(), .. Sequences(),
        .. Errors(), .. ReExecution(), .. AsyncControls(), .. SynchronousIo(),
    ];
}
