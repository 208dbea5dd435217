using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Shared.Redis;

namespace Notify.Tests.Redis;

/// <summary><c>Notify:Redis</c> as bound at start-up: a wrong setting fails with its name and the bad entry.</summary>
public sealed class RedisOptionsTests
{
    [Fact]
    public void Defaults_AreNoRedisTierAndShortTimeouts()
    {
        var options = Bind([]);

        Assert.False(options.IsConfigured);
        Assert.Equal(160, options.VirtualNodes);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ProbeInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Ttl);
    }

    [Fact]
    public void Nodes_WithSpacesAndATrailingComma_Parse()
    {
        var options = Bind(new() { ["Notify:Redis:Nodes"] = " 127.0.0.1:6379, Cache-2.Internal:6380 ,[::1]:7000," });

        Assert.True(RedisNodeAddress.TryParseList(options.Nodes!, out var nodes, out _));
        Assert.Equal(["127.0.0.1:6379", "cache-2.internal:6380", "[::1]:7000"], nodes.Select(n => n.Name));
    }

    [Theory]
    [InlineData("cache-1:6379,cache-2", "'cache-2' is not host:port", "port is missing")]
    [InlineData("cache-1:6379,cache-1:99999", "'cache-1:99999'", "1 to 65535")]
    [InlineData("cache-1:6379,:6379", "':6379'", "host is missing")]
    [InlineData("cache 1:6379", "'cache 1:6379'", "not a host name")]
    [InlineData("cache-1:6379, CACHE-1:6379", "'CACHE-1:6379' is listed twice", "once")]
    [InlineData(" , ", "names no node", "unset")]
    public void Nodes_WithABadEntry_FailAtStartNamingIt(string nodes, string naming, string reason)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Notify:Redis:Nodes"] = nodes }));

        Assert.Contains("Notify:Redis:Nodes", failure.Message);
        Assert.Contains(naming, failure.Message);
        Assert.Contains(reason, failure.Message);
    }

    [Theory]
    [InlineData("Notify:Redis:VirtualNodes", "4", "VirtualNodes")]
    [InlineData("Notify:Redis:OperationTimeout", "00:01:00", "OperationTimeout")]
    [InlineData("Notify:Redis:ProbeInterval", "00:00:00", "ProbeInterval")]
    public void OutOfRangeSettings_FailAtStart(string key, string value, string name)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(name, failure.Message);
    }

    private static RedisOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateDataAnnotations();
        return services.BuildServiceProvider().GetRequiredService<IOptions<RedisOptions>>().Value;
    }
}
