using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Validation;

namespace Notify.Tests.Frontend;

/// <summary>The checks of the dead-letter calls' input: the publish-time window and what a redrive selects.</summary>
public sealed class DeadLetterRulesTests
{
    [Theory]
    [InlineData("2026-12-02T10:00:00Z")]
    [InlineData("2026-12-02T10:00:00.123456Z")]
    [InlineData("2026-12-02T12:00:00+02:00")]
    [InlineData("2026-12-02t10:00:00z")]
    public void Window_TakesRfc3339Times(string time)
    {
        var window = PublishWindow.FromQuery(time, null);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), window!.From!.Value.AddTicks(-(window.From.Value.Ticks % TimeSpan.TicksPerSecond)));
        Assert.Null(window.To);
    }

    [Theory]
    [InlineData("2026-12-02T10:00:00")]
    [InlineData("2026-12-02")]
    [InlineData("yesterday")]
    [InlineData("1764669600")]
    [InlineData("2026-12-02T10:00:00 01:00")]
    public void Window_RefusesWhatIsNotRfc3339_NamingTheParameter(string time)
    {
        var refused = Assert.Throws<InvalidRequestException>(() => PublishWindow.FromQuery(null, time));
        Assert.Equal(["to"], refused.Errors.ToDictionary().Keys);
        Assert.StartsWith("to must be an RFC 3339", refused.Errors.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_NeedsToAfterFrom_AndIsNullWithoutEither()
    {
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        Assert.Null(PublishWindow.FromQuery(null, null));
        Assert.Equal(["to"], Assert.Throws<InvalidRequestException>(() => PublishWindow.Check(at, at)).Errors.ToDictionary().Keys);
        Assert.Equal(new(at, at.AddTicks(1)), PublishWindow.Check(at, at.AddTicks(1)));
    }

    [Fact]
    public void Redrive_TakesAllOrIdsOrAWindow()
    {
        Assert.Null(RedriveRule.Check(new RedriveRequest()));
        Assert.Null(RedriveRule.Check(new RedriveRequest { MessageIds = ["a", "b"] }));
        Assert.Null(RedriveRule.Check(new RedriveRequest { From = DateTimeOffset.UnixEpoch, Cursor = "c" }));
    }

    [Fact]
    public void Redrive_RefusesIdsWithAWindow_AndTooFewOrTooManyOrEmptyIds()
    {
        Assert.Equal(["messageIds"], RedriveRule.Check(new RedriveRequest { MessageIds = ["a"], To = DateTimeOffset.UnixEpoch })!.ToDictionary().Keys);
        Assert.Equal(["messageIds"], RedriveRule.Check(new RedriveRequest { MessageIds = ["a"], Cursor = "c" })!.ToDictionary().Keys);
        Assert.Equal(["messageIds"], RedriveRule.Check(new RedriveRequest { MessageIds = [] })!.ToDictionary().Keys);
        Assert.Equal(["messageIds"], RedriveRule.Check(new RedriveRequest { MessageIds = Enumerable.Range(0, 101).Select(i => $"m{i}").ToList() })!.ToDictionary().Keys);
        Assert.Equal(["messageIds[1]"], RedriveRule.Check(new RedriveRequest { MessageIds = ["a", ""] })!.ToDictionary().Keys);
        Assert.Equal(["cursor"], RedriveRule.Check(new RedriveRequest { Cursor = "" })!.ToDictionary().Keys);
    }
}
