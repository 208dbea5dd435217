namespace Notify.Metadata.Model;

public static class ProtocolNames
{
    /// <summary>The protocol's API name (webhook, email, sms), as a fixed string so hot paths allocate none.</summary>
    public static string ApiName(this Protocol protocol) => protocol switch
    {
        Protocol.Webhook => "webhook",
        Protocol.Email => "email",
        Protocol.Sms => "sms",
        _ => protocol.ToString().ToLowerInvariant(),
    };
}
