using Microsoft.Extensions.Options;

namespace SyncContext.AspNetCore.Background;

/// <summary>Fails start-up with the option's name when <see cref="BackgroundWorkOptions"/> cannot work.</summary>
internal sealed class BackgroundWorkOptionsValidator : IValidateOptions<BackgroundWorkOptions>
{
    public ValidateOptionsResult Validate(string? name, BackgroundWorkOptions options)
        => options.Limit < 1
            ? ValidateOptionsResult.Fail($"BackgroundWorkOptions.Limit must be at least 1; it is {options.Limit}.")
            : ValidateOptionsResult.Success;
}
