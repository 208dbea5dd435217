namespace Notify.Metadata.Model;

/// <summary>A named channel that publishers send to and endpoints subscribe to.</summary>
public sealed record Topic(string Name, DateTimeOffset CreatedAt);
