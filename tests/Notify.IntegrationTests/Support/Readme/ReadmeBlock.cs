namespace Notify.IntegrationTests.Support.Readme;

/// <summary>A fenced <c>bash</c> block of the README: its section's heading, and its commands in order.</summary>
public sealed record ReadmeBlock(string Section, int Line, IReadOnlyList<ReadmeCommand> Commands)
{
    public override string ToString() => $"the block at README.md line {Line} (\"{Section}\")";
}
