namespace Notify.TestServers;

/// <summary>One request to <see cref="TwilioServer"/>'s Messages endpoint and how it was answered.</summary>
/// <param name="AccountSid">The account SID in the request's path.</param>
/// <param name="AuthorizationUser">The user of its HTTP basic credentials; null when it sent none.</param>
/// <param name="AuthorizationPassword">The password of its HTTP basic credentials; null when it sent none.</param>
/// <param name="Form">Its form fields by (case-sensitive) name; a field sent twice has its values joined by commas.</param>
/// <param name="Status">The HTTP status it was answered with (201 when a message was created).</param>
/// <param name="At">When it arrived.</param>
public sealed record TwilioRequest(
    string AccountSid,
    string? AuthorizationUser,
    string? AuthorizationPassword,
    IReadOnlyDictionary<string, string> Form,
    int Status,
    DateTimeOffset At)
{
    /// <summary>The SID of the message created (<c>SM</c> and 32 hex digits); null unless answered 201.</summary>
    public string? MessageSid { get; init; }

    /// <summary>Whether the caller hung up before the answer was written (it waited out <see cref="TwilioServer.Delay"/>).</summary>
    public bool Abandoned { get; init; }
}
