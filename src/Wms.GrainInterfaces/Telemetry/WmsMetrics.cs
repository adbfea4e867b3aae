using System.Diagnostics.Metrics;
using Wms.GrainInterfaces.Outcomes;

namespace Wms.GrainInterfaces.Telemetry;

/// <summary>
/// The service's own instruments, on the meter <see cref="MeterName"/>: what grains and endpoints count as they work.
/// One per silo (<c>AddWmsGrains</c> registers it), shared by the grains and the API, which both reach this layer.
/// The gauges read state someone else keeps and are made by its keeper on <see cref="Meter"/>.
/// </summary>
/// <remarks>
/// Every attribute has few values (outcomes, phases, configured schedds), never an id. With no listener (neither
/// <c>/metrics</c> nor OTLP) each call costs a check of the instrument's <c>Enabled</c> flag; with one, an
/// aggregation without allocation.
/// </remarks>
public sealed class WmsMetrics
{
    public const string MeterName = "Wms";

    public const string WorkflowsCreated = "wms.workflows.created";
    public const string MqActivations = "wms.mq.activations";
    public const string LaunchDuration = "wms.taskforce.launch.duration";
    public const string TmsPolls = "wms.tms.polls";
    public const string TmsStatusUpdates = "wms.tms.status_updates";
    public const string Taskforces = "wms.taskforces";
    public const string LaunchQueueDepth = "wms.launch.queue.depth";
    public const string TmsPollAge = "wms.tms.poll.age";

    /// <summary>
    /// From a fast launch (loops unpaced) to one that waited for an MQS that was down or a long launch queue: under a
    /// second to an hour.
    /// </summary>
    private static readonly IReadOnlyList<double> LaunchBuckets =
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private static readonly KeyValuePair<string, object?> Created = new("outcome", "created");
    private static readonly KeyValuePair<string, object?> Refused = new("outcome", "refused");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> Activated = new("outcome", "activated");
    private static readonly KeyValuePair<string, object?> TryAgainLater = new("outcome", "try-again-later");
    private static readonly KeyValuePair<string, object?> MqsError = new("outcome", "mqs-error");

    private readonly Counter<long> _workflowsCreated;
    private readonly Counter<long> _mqActivations;
    private readonly Histogram<double> _launchDuration;
    private readonly Counter<long> _tmsPolls;
    private readonly Counter<long> _statusUpdates;

    public WmsMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _workflowsCreated = Meter.CreateCounter<long>(WorkflowsCreated, "{workflow}",
            "Answers to workflow submissions, by outcome: created, refused (4xx) or failed (5xx)");
        _mqActivations = Meter.CreateCounter<long>(MqActivations, "{activation}",
            "MQ activation attempts of the activation loop, by outcome: activated, try-again-later, mqs-error or failed");
        _launchDuration = Meter.CreateHistogram(LaunchDuration, "s",
            "Time from a taskforce's creation (its workflow's submission, or added workers) to pending-starter",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LaunchBuckets });
        _tmsPolls = Meter.CreateCounter<long>(TmsPolls, "{poll}",
            "TMS polls for work, by schedd and kind (pending-starter, pending-stopper)");
        _statusUpdates = Meter.CreateCounter<long>(TmsStatusUpdates, "{update}",
            "Taskforce status updates the TMS reported, by the taskforce's schedd");
    }

    /// <summary>The meter <see cref="MeterName"/>, for the gauges of those who keep what they show.</summary>
    public Meter Meter { get; }

    public void WorkflowCreated() => _workflowsCreated.Add(1, Created);

    /// <summary>A submission answered 4xx: the request itself was wrong or not allowed.</summary>
    public void WorkflowRefused() => _workflowsCreated.Add(1, Refused);

    /// <summary>A submission answered 5xx: a dependency was away, or the service failed.</summary>
    public void WorkflowFailed() => _workflowsCreated.Add(1, Failed);

    /// <summary>What one MQ activation attempt came to; an attempt with nothing to do is none.</summary>
    public void MqActivationAnswered(ActivationKind kind)
    {
        switch (kind)
        {
            case ActivationKind.Activated:
                _mqActivations.Add(1, Activated);
                break;
            case ActivationKind.TryAgainLater:
                _mqActivations.Add(1, TryAgainLater);
                break;
            case ActivationKind.MqsFailed:
                _mqActivations.Add(1, MqsError);
                break;
        }
    }

    /// <summary>An MQ activation attempt that threw (grain storage, the index): not the MQS's answer.</summary>
    public void MqActivationFailed() => _mqActivations.Add(1, Failed);

    /// <summary>A taskforce reached pending-starter <paramref name="seconds"/> after it was created.</summary>
    public void TaskforceLaunched(double seconds) => _launchDuration.Record(Math.Max(0, seconds));

    /// <summary>A TMS asked for work; <paramref name="kind"/> is the phase it asked for.</summary>
    public void TmsPolled(string schedd, string kind) =>
        _tmsPolls.Add(1, new KeyValuePair<string, object?>("schedd", schedd), new KeyValuePair<string, object?>("kind", kind));

    /// <summary>One taskforce's statuses were replaced by a TMS report.</summary>
    public void StatusUpdated(string schedd) => _statusUpdates.Add(1, new KeyValuePair<string, object?>("schedd", schedd));
}
