using System.Text.Json;

namespace Notify.IntegrationTests.Support.Docker;

/// <summary>
/// A project's Dockerfile read as the builder reads it: comments dropped, continued lines joined, one
/// instruction per entry, grouped into stages by <c>FROM</c>. No container engine runs where the tests
/// run, so the tests check the instructions themselves (and run the health check's command for real).
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(string project, IReadOnlyList<DockerStage> stages)
    {
        Project = project;
        Stages = stages;
    }

    /// <summary>The project folder (<c>Frontend</c>, <c>Sender</c>) whose Dockerfile this is.</summary>
    public string Project { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage the image is made of: the last one.</summary>
    public DockerStage Final => Stages[^1];

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"{Project}/Dockerfile has no stage \"{name}\".");

    public static Dockerfile Load(string project) =>
        Parse(project, File.ReadAllLines(Path.Combine(RepositoryPaths.Root, project, "Dockerfile")));

    public static Dockerfile Parse(string project, IReadOnlyList<string> lines)
    {
        var stages = new List<DockerStage>();
        foreach (var (keyword, arguments) in Instructions(lines))
        {
            if (keyword == "FROM")
            {
                // FROM [--platform=...] image [AS name]
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
                var name = words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stages.Add(new DockerStage(words[0], name));
            }
            else if (stages.Count == 0)
            {
                throw new InvalidOperationException($"{project}/Dockerfile: {keyword} before the first FROM.");
            }
            else
            {
                stages[^1].Add(new DockerInstruction(keyword, arguments));
            }
        }

        return new Dockerfile(project, stages);
    }

    /// <summary>The arguments of an exec-form instruction (<c>["dotnet", "x.dll"]</c>), as Docker reads the JSON array.</summary>
    public static string[] ExecForm(string arguments) =>
        JsonSerializer.Deserialize<string[]>(arguments) ?? throw new InvalidOperationException($"Not an exec form: {arguments}");

    private static IEnumerable<(string Keyword, string Arguments)> Instructions(IReadOnlyList<string> lines)
    {
        var current = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            // Docker drops comment lines, also between the lines of a continued instruction.
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            if (current.Trim().Length > 0)
            {
                var text = current.Trim();
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                yield return space < 0 ? (text.ToUpperInvariant(), "") : (text[..space].ToUpperInvariant(), text[(space + 1)..].Trim());
            }

            current = "";
        }
    }
}

/// <summary>One instruction of a stage: its keyword in capitals and the rest of the line.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments);

/// <summary>A stage of a Dockerfile: its base image, its name (<c>AS build</c>) and its instructions in order.</summary>
public sealed class DockerStage(string image, string? name)
{
    private readonly List<DockerInstruction> _instructions = [];

    public string Image { get; } = image;

    public string? Name { get; } = name;

    public IReadOnlyList<DockerInstruction> Instructions => _instructions;

    internal void Add(DockerInstruction instruction) => _instructions.Add(instruction);

    public IEnumerable<DockerInstruction> All(string keyword) => _instructions.Where(i => i.Keyword == keyword);

    /// <summary>The one instruction <paramref name="keyword"/> of this stage (fails when there is none or more).</summary>
    public DockerInstruction One(string keyword) => Assert.Single(All(keyword));

    /// <summary>The stage's <c>ENV</c> settings, in the <c>key=value</c> form (several on one line allowed).</summary>
    public IReadOnlyDictionary<string, string> Environment => All("ENV")
        .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(p => p[0], p => p.Length == 2 ? p[1] : throw new InvalidOperationException($"ENV {p[0]} is not in the key=value form."));

    /// <summary>The stage's <c>COPY</c> instructions in order, each with its options, sources and destination.</summary>
    public IReadOnlyList<DockerCopy> Copies => All("COPY").Select(DockerCopy.Parse).ToList();
}

/// <summary>A <c>COPY [--from=stage] [--chown=...] source... destination</c>.</summary>
public sealed record DockerCopy(string? From, IReadOnlyList<string> Sources, string Destination, DockerInstruction Instruction)
{
    public static DockerCopy Parse(DockerInstruction copy)
    {
        var words = copy.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var options = words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal)).ToList();
        var paths = words.Skip(options.Count).ToList();
        var from = options.Select(o => o.Split('=', 2)).Where(o => o[0] == "--from").Select(o => o[1]).SingleOrDefault();
        return new DockerCopy(from, paths[..^1], paths[^1], copy);
    }
}
