namespace Notify.Sender.Channels.Sms;

/// <summary>
/// Sends the SDK's requests under the current <see cref="TwilioCall"/>'s token, and tells the call the
/// answer's status and <c>Retry-After</c>, which the SDK's exceptions do not carry.
/// </summary>
internal sealed class TwilioCallHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (TwilioCall.Current is not { } call)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken);
        var response = await base.SendAsync(request, either.Token);
        try
        {
            // The SDK reads the body without a token: read it here, where a stalled answer can be cancelled.
            await response.Content.LoadIntoBufferAsync(either.Token);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        call.Observe(response);
        return response;
    }
}
