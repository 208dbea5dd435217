namespace Notify.IntegrationTests.Support.Readme;

/// <summary>The fenced <c>bash</c> blocks of the repository's README.md, as a reader copies them.</summary>
public sealed class ReadmeDocument
{
    private ReadmeDocument(IReadOnlyList<ReadmeBlock> blocks) => Blocks = blocks;

    public IReadOnlyList<ReadmeBlock> Blocks { get; }

    public static ReadmeDocument Load() => Parse(File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md")));

    /// <summary>The bash blocks under the heading <paramref name="section"/>, in order.</summary>
    public IReadOnlyList<ReadmeBlock> In(string section)
    {
        var blocks = Blocks.Where(b => b.Section == section).ToList();
        return blocks.Count > 0 ? blocks : throw new InvalidOperationException($"README.md has no bash block under \"{section}\".");
    }

    public static ReadmeDocument Parse(IReadOnlyList<string> lines)
    {
        var blocks = new List<ReadmeBlock>();
        var section = "";
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                section = lines[i].TrimStart('#').Trim();
            }
            else if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                var start = i;
                var isBash = lines[i].Trim() == "```bash";
                var body = new List<string>();
                for (i++; i < lines.Count && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
                {
                    body.Add(lines[i]);
                }

                if (isBash)
                {
                    blocks.Add(new ReadmeBlock(section, start + 1, Commands(body)));
                }
            }
        }

        return new ReadmeDocument(blocks);
    }

    private static List<ReadmeCommand> Commands(List<string> body)
    {
        var commands = new List<ReadmeCommand>();
        var comment = new List<string>();
        for (var i = 0; i < body.Count; i++)
        {
            var line = body[i].Trim();
            if (line.Length == 0)
            {
                comment.Clear();
            }
            else if (line.StartsWith('#'))
            {
                comment.Add(line.TrimStart('#').Trim());
            }
            else
            {
                var text = body[i];
                while (text.EndsWith('\\') && i + 1 < body.Count)
                {
                    text += "\n" + body[++i];
                }

                commands.Add(new ReadmeCommand(text, string.Join(' ', comment)));
                comment.Clear();
            }
        }

        return commands;
    }
}
