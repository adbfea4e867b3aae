using Wms.Domain.Explain;
using Wms.Domain.Model;

namespace Wms.Grains.Tests.Rules;

/// <summary>How explanations write times, spans and lists, and the one sentence that sums up a workflow.</summary>
public sealed class ExplainTextTests
{
    [Theory]
    [InlineData(1_796_637_600, "2026-12-07T10:00:00Z")]
    [InlineData(1_796_637_600.999, "2026-12-07T10:00:00Z")]
    [InlineData(0, "1970-01-01T00:00:00Z")]
    public void TimesAreUtcToTheSecond(double epochSeconds, string written) =>
        Assert.Equal(written, ExplainText.Time(epochSeconds));

    [Theory]
    [InlineData(0, "0 seconds")]
    [InlineData(0.5, "0.5 seconds")]
    [InlineData(1, "1 second")]
    [InlineData(42.4, "42 seconds")]
    [InlineData(89, "89 seconds")]
    [InlineData(90, "2 minutes")]
    [InlineData(1140, "19 minutes")]
    [InlineData(3600, "60 minutes")]
    [InlineData(7200, "2 hours")]
    [InlineData(5399, "90 minutes")]
    [InlineData(5400, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(-5, "0 seconds")]
    public void SpansReadInTheirBestUnit(double seconds, string written) =>
        Assert.Equal(written, ExplainText.Duration(seconds));

    [Fact]
    public void ListsAreReadOut()
    {
        Assert.Equal("", ExplainText.List([]));
        Assert.Equal("a", ExplainText.List(["a"]));
        Assert.Equal("a and b", ExplainText.List(["a", "b"]));
        Assert.Equal("a, b and c", ExplainText.List(["a", "b", "c"]));
    }

    [Fact]
    public void ASummaryCountsTheTaskforcesByReasonInLifecycleOrder()
    {
        var workflow = new WorkflowDocument
        {
            WorkflowId = "WF-6b161af4-47cecad2",
            Timestamp = 1_796_637_000,
            Priority = 10,
            MqActivatedTs = 1_796_637_060,
        };
        Explanation Of(string reason) => new(reason, "", 0, [], null);

        Assert.Equal("Active since 2026-12-07T09:51:00Z, with 4 taskforces: 1 in the launch queue, 1 waiting for a TMS "
            + "that looks down and 2 running.",
            WorkflowSummary.Of(workflow,
                [Of(ExplainReason.Running), Of(ExplainReason.LaunchQueue), Of(ExplainReason.Running), Of(ExplainReason.TmsNotPolling)]));
        Assert.Equal("Submitted at 2026-12-07T09:50:00Z, its queues not yet activated, with 1 taskforce: 1 waiting for "
            + "MQ activation.",
            WorkflowSummary.Of(workflow with { MqActivatedTs = null }, [Of(ExplainReason.MqActivationPending)]));
        Assert.Equal("Aborted at 2026-12-07T10:00:00Z, with 2 taskforces: 1 waiting for removal and 1 stopped before "
            + "submission.",
            WorkflowSummary.Of(workflow with { Deactivated = Deactivation.Aborted, DeactivatedTs = 1_796_637_600 },
                [Of(ExplainReason.StoppedBeforeSubmit), Of(ExplainReason.RemovalPending)]));
    }
}
