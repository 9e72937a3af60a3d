namespace SyncContext.AspNetCore.Background;

/// <summary>Configures <see cref="IBackgroundWork"/>. Validated when the host starts.</summary>
public sealed class BackgroundWorkOptions
{
    /// <summary>Gets or sets how many background items may be queued or running at once; beyond it, <c>Add</c> throws.</summary>
    /// <value>The default value is 1024. It must be at least 1.</value>
    public int Limit { get; set; } = 1024;
}
