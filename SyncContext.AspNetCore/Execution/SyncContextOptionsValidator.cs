using Microsoft.Extensions.Options;

namespace SyncContext.AspNetCore.Execution;

/// <summary>Checks <see cref="SyncContextOptions"/> when the host starts.</summary>
internal sealed class SyncContextOptionsValidator : IValidateOptions<SyncContextOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncContextOptions options)
    {
        var failures = GetFailures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static void ThrowIfInvalid(SyncContextOptions options)
    {
        var failures = GetFailures(options).ToList();
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SyncContextOptions), failures);
        }
    }

    private static IEnumerable<string> GetFailures(SyncContextOptions options)
    {
        if (options.MaxThreads < 1)
        {
            yield return $"SyncContextOptions.MaxThreads must be at least 1; it is {options.MaxThreads}.";
        }

        if (options.MinThreads < 0 || options.MinThreads > options.MaxThreads)
        {
            yield return $"SyncContextOptions.MinThreads must be between 0 and MaxThreads ({options.MaxThreads}); it is {options.MinThreads}.";
        }

        if (options.CpuBudget < 1)
        {
            yield return $"SyncContextOptions.CpuBudget must be at least 1; it is {options.CpuBudget}.";
        }

        if (options.QueueLimit < 0)
        {
            yield return $"SyncContextOptions.QueueLimit must not be negative; it is {options.QueueLimit}.";
        }

        if (options.IdleTimeout <= TimeSpan.Zero && options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            yield return $"SyncContextOptions.IdleTimeout must be positive or Timeout.InfiniteTimeSpan; it is {options.IdleTimeout}.";
        }

        if (options.MaxQueueTime <= TimeSpan.Zero && options.MaxQueueTime != Timeout.InfiniteTimeSpan)
        {
            yield return $"SyncContextOptions.MaxQueueTime must be positive or Timeout.InfiniteTimeSpan; it is {options.MaxQueueTime}.";
        }

        if (options.SpinCount < 0)
        {
            yield return $"SyncContextOptions.SpinCount must not be negative; it is {options.SpinCount}.";
        }

        if (string.IsNullOrWhiteSpace(options.ThreadNamePrefix))
        {
            yield return "SyncContextOptions.ThreadNamePrefix must not be empty.";
        }

        if (options.RetryAfter < TimeSpan.Zero)
        {
            yield return $"SyncContextOptions.RetryAfter must not be negative; it is {options.RetryAfter}.";
        }
    }
}
