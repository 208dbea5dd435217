using Notify.Frontend.Validation;

namespace Notify.Frontend.Errors;

/// <summary>
/// A request that cannot be read as this call's input (malformed JSON, an unknown field, a value of the
/// wrong type): answered 400 with one entry per field, named by its JSON path.
/// </summary>
internal sealed class InvalidRequestException(ValidationErrors errors) : Exception(errors.Detail)
{
    public ValidationErrors Errors { get; } = errors;

    public static InvalidRequestException For(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return new InvalidRequestException(errors);
    }
}
