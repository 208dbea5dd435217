namespace Notify.IntegrationTests.Support.Readme;

/// <summary>One command of a README code block, with the comment lines written just above it.</summary>
/// <param name="Text">The command as written, continuation lines included.</param>
/// <param name="Comment">The comment above it, without the <c>#</c>; empty when there is none.</param>
public sealed record ReadmeCommand(string Text, string Comment);
