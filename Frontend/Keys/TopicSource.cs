namespace Notify.Frontend.Keys;

/// <summary>Where an endpoint's topic is, for the permission check.</summary>
internal enum TopicSource
{
    /// <summary>The <c>{name}</c> route value: <c>/v1/topics/{name}/…</c>.</summary>
    Route,

    /// <summary>The topic of the subscription of the <c>{id}</c> route value: <c>/v1/subscriptions/{id}/…</c>.</summary>
    Subscription,

    /// <summary>
    /// The request body (creating a topic): the endpoint passes the request when the key holds the permission
    /// on some topic, and the handler checks the name it read (<see cref="TopicAuthorization"/>).
    /// </summary>
    Body,

    /// <summary>A listing across topics: the key needs the permission, and the listing shows only topics it covers.</summary>
    Listing,
}
