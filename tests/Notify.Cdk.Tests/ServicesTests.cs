using System.Text.Json;
using Amazon.CDK.Assertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Cdk.Tests.Support;
using Notify.Shared.Configuration;

namespace Notify.Cdk.Tests;

/// <summary>The Frontend behind the load balancer, the Sender scaling on the backlog, both configured for Aws mode.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed class ServicesTests(SynthesizedStacks stacks)
{
    [Fact]
    public void LoadBalancer_ChecksTheFrontendsHealthz()
    {
        foreach (var stack in stacks.Both)
        {
            var (id, group) = stack.OfType("AWS::ElasticLoadBalancingV2::TargetGroup").Single();
            Assert.Equal("/healthz", group.GetProperty("HealthCheckPath").GetString());
            Assert.Equal(8080, group.GetProperty("Port").GetInt32());

            var frontend = stack.Resources.GetProperty(stack.LogicalId(stack.Stack.Services.Frontend)).GetProperty("Properties");
            var target = Assert.Single(frontend.GetProperty("LoadBalancers").EnumerateArray());
            Assert.Equal(id, target.GetProperty("TargetGroupArn").GetProperty("Ref").GetString());
            Assert.Equal("Frontend", target.GetProperty("ContainerName").GetString());
            var sender = stack.Resources.GetProperty(stack.LogicalId(stack.Stack.Services.Sender)).GetProperty("Properties");
            Assert.False(sender.TryGetProperty("LoadBalancers", out _));
        }
    }

    [Fact]
    public void WithoutCertificate_OnlyHttpForwardsToTheFrontends()
    {
        var listener = stacks.Plain.OfType("AWS::ElasticLoadBalancingV2::Listener").Single().Properties;

        Assert.Equal("HTTP", listener.GetProperty("Protocol").GetString());
        Assert.Equal(80, listener.GetProperty("Port").GetInt32());
        Assert.Equal("forward", listener.GetProperty("DefaultActions")[0].GetProperty("Type").GetString());
        Assert.StartsWith("http://", Url(stacks.Plain), StringComparison.Ordinal);
    }

    [Fact]
    public void WithCertificate_HttpsForwardsAndHttpRedirects()
    {
        var template = stacks.Full.Template;
        template.ResourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTPS",
            ["Port"] = 443,
            ["Certificates"] = new[] { new Dictionary<string, object> { ["CertificateArn"] = SynthesizedStacks.CertificateArn } },
            ["DefaultActions"] = new[] { Match.ObjectLike(new Dictionary<string, object> { ["Type"] = "forward" }) },
        });
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTP",
            ["Port"] = 80,
            ["DefaultActions"] = new[]
            {
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Type"] = "redirect",
                    ["RedirectConfig"] = Match.ObjectLike(new Dictionary<string, object> { ["Protocol"] = "HTTPS", ["Port"] = "443" }),
                }),
            },
        });
        Assert.Equal("https://notify.example.com", Url(stacks.Full));
    }

    [Fact]
    public void Sender_ScalesOnTheQueuesVisibleMessages()
    {
        foreach (var stack in stacks.Both)
        {
            var sender = stack.LogicalId(stack.Stack.Services.Sender);
            var (targetId, target) = stack.OfType("AWS::ApplicationAutoScaling::ScalableTarget")
                .Single(t => t.Properties.GetProperty("ResourceId").GetRawText().Contains(sender, StringComparison.Ordinal));
            Assert.Equal(stack.Settings.SenderCount, target.GetProperty("MinCapacity").GetInt32());
            Assert.Equal(stack.Settings.SenderMaxCount, target.GetProperty("MaxCapacity").GetInt32());

            // Step scaling: one policy and alarm out (backlog), one in (empty queue), both on the queue's visible messages.
            var policies = stack.OfType("AWS::ApplicationAutoScaling::ScalingPolicy")
                .Where(p => p.Properties.GetProperty("ScalingTargetId").GetProperty("Ref").GetString() == targetId && p.Properties.GetProperty("PolicyType").GetString() == "StepScaling")
                .Select(p => p.Id).ToHashSet();
            var alarms = stack.OfType("AWS::CloudWatch::Alarm").Where(a => a.Properties.TryGetProperty("AlarmActions", out var actions)
                && actions.EnumerateArray().Any(action => action.TryGetProperty("Ref", out var r) && policies.Contains(r.GetString()!))).ToList();
            Assert.Equal(2, alarms.Count);
            Assert.Equal(["GreaterThanOrEqualToThreshold", "LessThanOrEqualToThreshold"], alarms.Select(a => a.Properties.GetProperty("ComparisonOperator").GetString()).Order());
            foreach (var (_, alarm) in alarms)
            {
                Assert.Equal("AWS/SQS", alarm.GetProperty("Namespace").GetString());
                Assert.Equal("ApproximateNumberOfMessagesVisible", alarm.GetProperty("MetricName").GetString());
                var dimension = Assert.Single(alarm.GetProperty("Dimensions").EnumerateArray());
                Assert.Equal(stack.LogicalId(stack.Stack.Queue.Messages), dimension.GetProperty("Value").GetProperty("Fn::GetAtt")[0].GetString());
            }
        }

        Assert.Equal((2, 8), (stacks.Full.Settings.SenderCount, stacks.Full.Settings.SenderMaxCount));
    }

    [Fact]
    public void Services_RunInAwsModeWithoutCreatingResources()
    {
        foreach (var stack in stacks.Both)
        {
            foreach (var service in NotifyProcesses.Names)
            {
                var environment = NotifyProcesses.Environment(stack, service);
                Assert.Equal("Aws", environment["Notify__Mode"].GetString());
                Assert.Equal("false", environment["Notify__Aws__CreateResources"].GetString());
                Assert.Equal(stack.Settings.ResourcePrefix, environment["Notify__Aws__ResourcePrefix"].GetString());
                Assert.Equal("AWS::Region", environment["Notify__Aws__Region"].GetProperty("Ref").GetString());
            }

            Assert.Equal("false", NotifyProcesses.Environment(stack, "Frontend")["Notify__Sender__InProcess"].GetString());
        }
    }

    /// <summary>Notify's own start-up validation (ValidateOnStart) accepts what the stack gives each service.</summary>
    [Fact]
    public void Services_PassNotifysStartupValidation()
    {
        foreach (var stack in stacks.Both)
        {
            foreach (var builder in new[] { NotifyProcesses.Frontend(stack), NotifyProcesses.Sender(stack) })
            {
                using var services = NotifyProcesses.Build(builder);
                services.GetRequiredService<IStartupValidator>().Validate();
                Assert.Equal(NotifyMode.Aws, services.GetRequiredService<IOptions<NotifyOptions>>().Value.Mode);
                Assert.False(services.GetRequiredService<IOptions<AwsOptions>>().Value.CreateResources);
            }
        }
    }

    [Fact]
    public void Images_AreBuiltFromTheRepositorysDockerfiles()
    {
        var stack = stacks.Plain;
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(stack.Stack.Node.Root is Amazon.CDK.App app ? app.Outdir : throw new InvalidOperationException(), "Notify.assets.json")));
        var images = assets.RootElement.GetProperty("dockerImages").EnumerateObject().Select(i => i.Value.GetProperty("source")).ToList();

        Assert.Equal(["Frontend/Dockerfile", "Sender/Dockerfile"], images.Select(i => i.GetProperty("dockerFile").GetString()).Order());
        Assert.All(images, i => Assert.Equal(stack.Settings.RepositoryRoot, i.GetProperty("directory").GetString()));
        Assert.All(images, i => Assert.Equal("linux/amd64", i.GetProperty("platform").GetString()));
        Assert.All(stack.OfType("AWS::ECS::TaskDefinition"), t => Assert.False(t.Properties.TryGetProperty("RuntimePlatform", out _), "A task definition asks for a platform other than Fargate's default, x86-64"));
        Assert.All(["Frontend/Dockerfile", "Sender/Dockerfile"], f => Assert.True(File.Exists(Path.Combine(stack.Settings.RepositoryRoot, f)), f));
    }

    /// <summary>The Sender's ECS health check, run by bash against a real socket: healthy on a 200 from /healthz only.</summary>
    [Theory]
    [InlineData(200, true)]
    [InlineData(503, false)]
    public async Task SendersHealthCheck_AsksHealthzForA200(int status, bool healthy)
    {
        var command = NotifyProcesses.Container(stacks.Plain, "Sender").GetProperty("HealthCheck").GetProperty("Command").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(["CMD", "bash", "-c"], command.Take(3));
        const string ContainerPort = "/dev/tcp/127.0.0.1/8080 ";
        Assert.Contains(ContainerPort, command[3], StringComparison.Ordinal);

        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(deadline.Token);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(deadline.Token);
            while (await reader.ReadLineAsync(deadline.Token) is { Length: > 0 })
            {
            }

            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 {status} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), deadline.Token);
            return requestLine;
        });

        using var bash = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", command[3].Replace(ContainerPort, $"/dev/tcp/127.0.0.1/{port} ", StringComparison.Ordinal)]))!;
        await bash.WaitForExitAsync(deadline.Token);

        Assert.Equal("GET /healthz HTTP/1.1", await server);
        Assert.Equal(healthy, bash.ExitCode == 0);
    }

    private static string Url(SynthesizedStack stack)
    {
        foreach (var service in NotifyProcesses.Names)
        {
            Assert.Equal(NotifyProcesses.Environment(stack, "Frontend")["Notify__PublicBaseUrl"].GetRawText(), NotifyProcesses.Environment(stack, service)["Notify__PublicBaseUrl"].GetRawText());
        }

        var url = NotifyProcesses.Environment(stack, "Frontend")["Notify__PublicBaseUrl"];
        return url.ValueKind == JsonValueKind.String ? url.GetString()! : url.GetProperty("Fn::Join")[1][0].GetString()!;
    }
}
