using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Notify.IntegrationTests.Support;
using Notify.IntegrationTests.Support.Docker;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// <c>Frontend/Dockerfile</c> and <c>Sender/Dockerfile</c> (the cdk app builds them as image assets). No
/// container engine runs here, so each instruction is checked against the repository it builds from, the
/// publish command runs on the tests' build, and the health check's command runs for real against the
/// Release-built process it would watch.
/// </summary>
public sealed class DockerfileTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Projects => new() { "Frontend", "Sender" };

    [Theory]
    [MemberData(nameof(Projects))]
    public void EveryCopyFromTheBuildContext_NamesAPathThatExistsAndIsNotIgnored(string project)
    {
        var dockerfile = Dockerfile.Load(project);
        var ignore = DockerIgnore.Load();
        var fromContext = dockerfile.Stages.SelectMany(s => s.Copies).Where(c => c.From is null).ToList();
        Assert.NotEmpty(fromContext);
        foreach (var source in fromContext.SelectMany(c => c.Sources))
        {
            var path = Path.Combine(RepositoryPaths.Root, source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{project}/Dockerfile copies {source}, which the repository root does not hold.");
            Assert.True(ignore.ExcludedBy(source) is null, $"{project}/Dockerfile copies {source}, which .dockerignore keeps out ({ignore.ExcludedBy(source)}).");
        }

        // A copy from another stage names one defined before it.
        var named = new List<string?>();
        foreach (var stage in dockerfile.Stages)
        {
            Assert.All(stage.Copies.Where(c => c.From is not null), c => Assert.Contains(c.From, named));
            named.Add(stage.Name);
        }
    }

    [Theory]
    // A host's obj/ would hand the container's restore assets files full of the host's paths.
    [InlineData("Frontend/obj/project.assets.json")]
    [InlineData("Shared/bin/Release/net10.0/Notify.Shared.dll")]
    [InlineData("tests/servers/node_modules/dynalite/cli.js")]
    [InlineData("tests/servers/.venv/bin/python3")]
    [InlineData(".git/HEAD")]
    [InlineData("cdk/cdk.out/manifest.json")]
    [InlineData("data/queue.db")]
    // `dotnet run --project Frontend` keeps the embedded store under the project folder, which the image copies.
    [InlineData("Frontend/data/queue.db")]
    [InlineData("Frontend/data/encryption.key")]
    [InlineData("Sender/notify.db-wal")]
    [InlineData("mail/20261202T101502.031Z-000001-confirmation-x.eml")]
    public void BuildContext_LeavesOutBuildOutputsPackagesAndLocalData(string path) =>
        Assert.NotNull(DockerIgnore.Load().ExcludedBy(path));

    [Fact]
    public void BuildContext_KeepsTheSources() =>
        Assert.All(
            ["Shared/Queue/QueueServiceExtensions.cs", "Frontend/Program.cs", "Sender/Program.cs", "Metadata/Notify.Metadata.csproj", "Directory.Packages.props"],
            path => Assert.Null(DockerIgnore.Load().ExcludedBy(path)));

    [Theory]
    [MemberData(nameof(Projects))]
    public void Restore_RunsOnTheProjectFilesAndSettingsAlone_EachWhereItsReferencesFindIt(string project)
    {
        var build = Dockerfile.Load(project).Stage("build");
        var projectFile = ProjectFile.In(project);
        var restore = Assert.Single(build.All("RUN"), r => r.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.Equal($"dotnet restore {projectFile.Path}", restore.Arguments);

        var before = build.Instructions.TakeWhile(i => i != restore).Where(i => i.Keyword == "COPY").Select(DockerCopy.Parse).ToList();
        // Every project the published one references, and the root files every project build reads
        // (.editorconfig sets analyzer severities, and warnings are errors).
        var needed = projectFile.WithReferences().Concat(["global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig"]);
        foreach (var file in needed)
        {
            var copy = before.FirstOrDefault(c => c.Sources.Contains(file));
            Assert.True(copy is not null, $"{project}/Dockerfile restores without {file}.");
            // At the same relative place under WORKDIR, so that ProjectReference paths and the root files resolve.
            var folder = Path.GetDirectoryName(file)!.Replace('\\', '/');
            Assert.Equal(folder.Length == 0 ? "./" : folder + "/", copy.Destination);
        }

        // Files only: a source folder copied before the restore would run it again for every code change.
        Assert.All(before.SelectMany(c => c.Sources), s => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, s)), $"{s} is copied before the restore"));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Publish_IsARestorelessReleaseBuildOfTheProject_IntoWhatTheFinalStageCopies(string project)
    {
        var dockerfile = Dockerfile.Load(project);
        var publish = Assert.Single(dockerfile.Stage("build").All("RUN"), r => r.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        var words = publish.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ProjectFile.In(project).Path, words[2]);
        Assert.Contains("--no-restore", words);
        Assert.Equal("Release", words[Array.IndexOf(words, "-c") + 1]);

        var published = words[Array.IndexOf(words, "-o") + 1];
        var copy = Assert.Single(dockerfile.Final.Copies, c => c.From == "build");
        Assert.Equal([published], copy.Sources);
        // Into the final stage's working directory, where the entry point names the dll.
        var instructions = dockerfile.Final.Instructions.ToList();
        Assert.True(instructions.IndexOf(dockerfile.Final.One("WORKDIR")) < instructions.IndexOf(copy.Instruction), "the published files are copied before WORKDIR");
        Assert.Equal(".", copy.Destination);
    }

    /// <summary>
    /// The publish command as the Dockerfile writes it, on the build the tests already have (<c>--no-build</c>
    /// for <c>--no-restore</c>: compiling again would take minutes; the publish step's own checks, such as
    /// two files for one output path, still run), into a folder of the test's.
    /// </summary>
    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Publish_AsWritten_GivesTheEntrypointsAssemblyAndTheProjectsOwnSettings(string project)
    {
        var dockerfile = Dockerfile.Load(project);
        var publish = Assert.Single(dockerfile.Stage("build").All("RUN"), r => r.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));
        var words = publish.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var folder = Path.Combine(Path.GetTempPath(), "notify-it", "publish-" + Guid.NewGuid().ToString("N"));
        words[words.IndexOf("-o") + 1] = folder;
        words[words.IndexOf("--no-restore")] = "--no-build";
        // The configuration the tests were built in (Release under test.sh), which --no-build publishes.
        words[words.IndexOf("-c") + 1] = Path.GetFileName(Path.GetDirectoryName(RepositoryPaths.Output(project)))!;
        try
        {
            var (exitCode, printed) = await Command.RunAsync([.. words, "-nodeReuse:false", "--nologo"], TimeSpan.FromMinutes(3), workingDirectory: RepositoryPaths.Root);
            Assert.True(exitCode == 0, $"{string.Join(' ', words)} failed:\n{printed}");
            var entrypoint = Dockerfile.ExecForm(dockerfile.Final.One("ENTRYPOINT").Arguments);
            Assert.True(File.Exists(Path.Combine(folder, entrypoint[1])), $"the publish output has no {entrypoint[1]}");
            Assert.Equal(
                await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, project, "appsettings.json")),
                await File.ReadAllTextAsync(Path.Combine(folder, "appsettings.json")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Images_AreTheAspNetRuntimeAndTheSdkOfTheProjectsTargetFramework(string project)
    {
        var dockerfile = Dockerfile.Load(project);
        var framework = ProjectFile.In(project).TargetFramework;
        Assert.Matches(@"^net\d+\.\d+$", framework);
        var version = framework["net".Length..];

        Assert.Equal($"mcr.microsoft.com/dotnet/aspnet:{version}", dockerfile.Final.Image);
        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{version}", dockerfile.Stage("build").Image);
        // global.json pins the SDK's band; the SDK image must be of the same version.
        using var global = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "global.json")));
        Assert.StartsWith(version + ".", global.RootElement.GetProperty("sdk").GetProperty("version").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void FinalStage_RunsAsTheImagesNonRootUser(string project)
    {
        var final = Dockerfile.Load(project).Final;
        // The last USER wins; the ASP.NET images define app (uid 1654, in $APP_UID) and start as root.
        var user = final.All("USER").LastOrDefault()?.Arguments.Split(':')[0];
        Assert.True(user is "$APP_UID" or "app" or "1654", $"{project}/Dockerfile's final stage runs as {user ?? "root (no USER)"}.");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void EmbeddedDataDirectory_IsAVolumeTheNonRootUserOwns(string project)
    {
        var final = Dockerfile.Load(project).Final;
        var instructions = final.Instructions.ToList();
        var directory = final.Environment["Notify__DataDirectory"];
        Assert.StartsWith("/", directory, StringComparison.Ordinal);
        var volume = final.One("VOLUME");
        Assert.Equal(directory, volume.Arguments);

        var create = Assert.Single(final.All("RUN"), r => r.Arguments.Contains(directory, StringComparison.Ordinal));
        Assert.Matches(@"^install -d -m 0?700 -o ""\$APP_UID"" -g ""\$APP_UID"" " + Regex.Escape(directory) + "$", create.Arguments);
        // Docker discards what the build changes in a volume's folder after VOLUME declares it.
        Assert.True(instructions.IndexOf(create) < instructions.IndexOf(volume), "the data directory is created after VOLUME");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Entrypoint_RunsTheProjectsAssembly(string project)
    {
        var assembly = ProjectFile.In(project).AssemblyName;
        var entrypoint = Dockerfile.ExecForm(Dockerfile.Load(project).Final.One("ENTRYPOINT").Arguments);
        Assert.Equal(["dotnet", assembly + ".dll"], entrypoint);
        // The build names its output so: the same file the tests start.
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Output(project), assembly + ".dll")), $"the build of {project} has no {assembly}.dll");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ExposedPort_IsThePortTheServiceListensOn(string project)
    {
        var final = Dockerfile.Load(project).Final;
        var port = final.Environment["ASPNETCORE_HTTP_PORTS"];
        Assert.Matches("^[0-9]+$", port);
        Assert.Equal(port, final.One("EXPOSE").Arguments);
        // ASPNETCORE_URLS would override the ports: the service would listen elsewhere than EXPOSE says.
        Assert.False(final.Environment.ContainsKey("ASPNETCORE_URLS"));
    }

    [Fact]
    public async Task FrontendHealthCheck_AsWritten_PassesWhileItRuns_AndFailsOnceItStops()
    {
        var check = HealthCheck.Of(Dockerfile.Load("Frontend").Final);
        await using var service = await NotifyService.StartAsync();
        await AssertPassesThenFailsOnStopAsync(check, service.Process);
    }

    [Fact]
    public async Task SenderHealthCheck_AsWritten_PassesWhileItRuns_AndFailsOnceItStops()
    {
        var check = HealthCheck.Of(Dockerfile.Load("Sender").Final);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
        try
        {
            // A Sender is up (and /healthz answers) before any Frontend has created the store.
            await using var sender = await NotifyProcess.StartSenderAsync(new Dictionary<string, string?>(NotifyService.TestSettings(dataDirectory))
            {
                ["Notify:PublicBaseUrl"] = "http://notify.example/",
            });
            await AssertPassesThenFailsOnStopAsync(check, sender);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task HealthCheck_AsWritten_AsksForHealthz_AndFailsOnAnythingButA200()
    {
        var check = HealthCheck.Of(Dockerfile.Load("Frontend").Final);
        Assert.Equal(check.Command, HealthCheck.Of(Dockerfile.Load("Sender").Final).Command);
        await using var unhealthy = await WebhookReceiver.StartAsync();
        unhealthy.Respond = _ => 503;

        var (exitCode, printed) = await check.RunAsync(PortOf(unhealthy.BaseAddress), Patience);
        Assert.True(exitCode != 0, $"the check passed on a 503: {printed}");
        var request = Assert.Single(unhealthy.Received);
        Assert.Equal("/healthz", request.Path);

        // A process that takes the connection and never answers fails the check by itself, within its own time limit.
        unhealthy.Hold = _ => true;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (exitCode, printed) = await check.RunAsync(PortOf(unhealthy.BaseAddress), Patience);
        output.WriteLine($"A check on a silent port ended after {watch.Elapsed.TotalSeconds:F1} s (HEALTHCHECK --timeout={check.Options["timeout"]})");
        Assert.True(exitCode != 0, $"the check passed on no answer: {printed}");
    }

    private async Task AssertPassesThenFailsOnStopAsync(HealthCheck check, NotifyProcess process)
    {
        var port = PortOf(process.BaseAddress);
        var (running, printed) = await check.RunAsync(port, Patience);
        Assert.True(running == 0, $"The health check failed (exit {running}) against a running service: {printed}\n{process.Output}");

        await process.StopAsync(Patience);
        var (stopped, printedStopped) = await check.RunAsync(port, Patience);
        output.WriteLine($"Against the stopped service: exit {stopped}, {printedStopped}");
        Assert.NotEqual(0, stopped);
    }

    /// <summary>The image's environment as the check sees it, with the port where the process under test listens.</summary>
    private static Dictionary<string, string> PortOf(Uri address) =>
        new() { ["ASPNETCORE_HTTP_PORTS"] = address.Port.ToString(CultureInfo.InvariantCulture) };
}
