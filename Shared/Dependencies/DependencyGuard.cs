namespace Notify.Shared.Dependencies;

/// <summary>
/// Runs a call to a dependency and throws its outages as <see cref="DependencyUnavailableException"/>, so
/// that callers (the API's error handler among them) know one exception for "it is unavailable"
/// whatever the client. Everything else passes as it is.
/// </summary>
/// <param name="Dependency">The name the exception gives, from <see cref="DependencyNames"/>.</param>
/// <param name="IsOutage">Whether a client's exception means the dependency is unavailable; given the caller's token.</param>
public sealed record DependencyGuard(string Dependency, Func<Exception, CancellationToken, bool> IsOutage)
{
    /// <summary>SQLite files under Notify's data directory.</summary>
    public static DependencyGuard DataFiles { get; } = new(DependencyNames.DataFiles, SqliteOutage.IsOutage);

    /// <summary>DynamoDB, through the AWS SDK's client.</summary>
    public static DependencyGuard DynamoDb { get; } = new(DependencyNames.DynamoDb, AwsOutage.IsOutage);

    /// <summary>The dedup table in DynamoDB.</summary>
    public static DependencyGuard DedupTable { get; } = new(DependencyNames.DedupTable, AwsOutage.IsOutage);

    /// <summary>The deliveries table in DynamoDB (dead letters, retries, outcomes, stats).</summary>
    public static DependencyGuard DeliveriesTable { get; } = new(DependencyNames.DeliveriesTable, AwsOutage.IsOutage);

    public async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is not DependencyUnavailableException && IsOutage(exception, cancellationToken))
        {
            throw new DependencyUnavailableException(Dependency, $"Notify cannot reach {Dependency}: {exception.Message}", exception);
        }
    }

    public Task CallAsync(Func<Task> call, CancellationToken cancellationToken) =>
        CallAsync(
            async () =>
            {
                await call();
                return true;
            },
            cancellationToken);
}
