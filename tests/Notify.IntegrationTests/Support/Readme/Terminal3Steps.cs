using System.Globalization;
using System.Text.RegularExpressions;

namespace Notify.IntegrationTests.Support.Readme;

/// <summary>
/// A block of commands a reader types in turn, split as its comments number them: the set-up before the
/// first numbered comment (<c># 1. ...</c>), then each numbered step with its commands.
/// </summary>
public sealed partial class Terminal3Steps
{
    private readonly SortedDictionary<int, List<string>> _steps;

    private Terminal3Steps(List<string> setup, SortedDictionary<int, List<string>> steps)
    {
        Setup = setup;
        _steps = steps;
    }

    public IReadOnlyList<string> Setup { get; }

    public IReadOnlyList<int> Numbers => [.. _steps.Keys];

    public IReadOnlyList<string> this[int number] => _steps[number];

    public static Terminal3Steps Of(ReadmeBlock block)
    {
        var setup = new List<string>();
        var steps = new SortedDictionary<int, List<string>>();
        List<string>? current = null;
        foreach (var command in block.Commands)
        {
            if (StepNumber().Match(command.Comment) is { Success: true } number)
            {
                current = [];
                steps.Add(int.Parse(number.Groups[1].Value, CultureInfo.InvariantCulture), current);
            }

            (current ?? setup).Add(command.Text);
        }

        return new Terminal3Steps(setup, steps);
    }

    [GeneratedRegex(@"^(\d+)\.")]
    private static partial Regex StepNumber();
}
