using Microsoft.Extensions.Options;
using Notify.Shared.Sms;

namespace Notify.Sender.Channels.Sms;

/// <summary>
/// Points the SDK's requests at <c>Notify:Sms:Twilio:BaseUrl</c>: the SDK always builds
/// <c>https://api.twilio.com/…</c> and has no setting for another address (a proxy, or the tests' local
/// stand-in). The request's path and query are resolved against the base URL, so a base with a path
/// ending in <c>/</c> keeps it.
/// </summary>
internal sealed class TwilioBaseAddressHandler(IOptions<SmsOptions> options) : DelegatingHandler
{
    private readonly Uri _baseUrl = options.Value.Twilio.BaseUrl;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            request.RequestUri = new Uri(_baseUrl, uri.PathAndQuery.TrimStart('/'));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
