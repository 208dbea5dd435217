namespace Notify.Shared.Filtering;

/// <summary>Why a filter policy was refused, as one sentence naming its place in the policy. Never leaves <see cref="FilterPolicy.TryParse"/>.</summary>
internal sealed class FilterPolicyException(string path, string problem) : Exception($"{path}: {problem}");
