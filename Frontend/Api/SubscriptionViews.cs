using Notify.Frontend.Api.Contracts;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

/// <summary>Subscriptions as callers see them: SMS numbers that replied STOP show as opted out (one read per page).</summary>
internal static class SubscriptionViews
{
    public static async Task<List<SubscriptionResponse>> ResponsesAsync(
        IMetadataStore store, IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var optedOut = await store.OptedOutNumbersAsync(subscriptions, cancellationToken);
        return subscriptions
            .Select(s => SubscriptionResponse.From(s, optedOut: s.IsOptedOut(optedOut)))
            .ToList();
    }

    public static async Task<SubscriptionResponse> ResponseAsync(IMetadataStore store, Subscription subscription, CancellationToken cancellationToken) =>
        (await ResponsesAsync(store, [subscription], cancellationToken))[0];
}
