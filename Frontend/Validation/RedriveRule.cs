using Notify.Frontend.Api.Contracts;

namespace Notify.Frontend.Validation;

/// <summary>
/// What a redrive may select: all, some by id, or a publish-time window (continued by its cursor); never
/// ids together with a window or a cursor, which would leave unclear which of them applies.
/// </summary>
internal static class RedriveRule
{
    public static ValidationErrors? Check(RedriveRequest request)
    {
        var errors = new ValidationErrors();
        if (request.MessageIds is { } ids)
        {
            if (request.From is not null || request.To is not null || request.Cursor is not null)
            {
                errors.Add("messageIds", "messageIds selects dead letters by id: send it without from, to and cursor (or send those without messageIds).");
            }

            if (ids.Count is < 1 or > RedriveLimits.MaxMessageIds)
            {
                errors.Add("messageIds", $"messageIds must hold 1 to {RedriveLimits.MaxMessageIds} ids; it holds {ids.Count}. Send {{}} to redrive all.");
            }

            for (var i = 0; i < ids.Count; i++)
            {
                if (string.IsNullOrEmpty(ids[i]))
                {
                    errors.Add($"messageIds[{i}]", $"messageIds[{i}] is empty; send the message id as publish answered it.");
                }
            }
        }

        if (request.Cursor is { Length: 0 })
        {
            errors.Add("cursor", "cursor is empty; send the nextCursor of the previous answer as it was given, or leave it out.");
        }

        return errors.IsEmpty ? null : errors;
    }
}
