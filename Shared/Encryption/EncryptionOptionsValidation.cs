using Microsoft.Extensions.Options;

namespace Notify.Shared.Encryption;

/// <summary>
/// Refuses a key that is not the base64 of 32 bytes at start, naming the setting and what is wrong
/// with it, never its value.
/// </summary>
internal sealed class EncryptionOptionsValidation : IValidateOptions<EncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, EncryptionOptions options)
    {
        var failures = new List<string>();
        if (options.Key is not null && EncryptionKey.Problem(options.Key) is { } problem)
        {
            failures.Add($"Notify:Encryption:Key {problem}");
        }

        for (var i = 0; i < options.PreviousKeys.Count; i++)
        {
            if (EncryptionKey.Problem(options.PreviousKeys[i]) is { } previous)
            {
                failures.Add($"Notify:Encryption:PreviousKeys:{i} {previous}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
