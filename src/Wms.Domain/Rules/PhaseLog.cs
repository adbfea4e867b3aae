using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>Builds and reads <c>phase_change_log</c> entries.</summary>
public static class PhaseLog
{
    public const string CreationDescription = "During initial workflow creation.";
    public const string AddWorkersDescription = "Added by a user's add-workers request.";

    /// <summary>Today's upstream texts, written for objects made through <c>/v1</c>.</summary>
    public const string CreationContextV1 = "Created during initial workflow request.";
    public const string AddWorkersContextV1 = "Created when adding more workers for this task directive.";

    /// <summary>Who a new workflow's first log entries name, in the texts of the generation it came through.</summary>
    public static LogAuthor Creation(ApiGeneration generation, string? caller) => generation == ApiGeneration.V1
        ? new LogAuthor("USER", By(CreationContextV1, caller))
        : new LogAuthor(Model.SourceEntity.User, By(CreationDescription, caller));

    /// <summary>
    /// Who added workers: on <c>/v1</c> the caller's role in capitals (<c>USER</c> or <c>TMS</c>), as upstream.
    /// </summary>
    public static LogAuthor AddWorkers(ApiGeneration generation, string? caller, bool callerIsTms = false) =>
        generation == ApiGeneration.V1
            ? new LogAuthor(callerIsTms ? Model.SourceEntity.Tms : "USER", By(AddWorkersContextV1, caller))
            : new LogAuthor(Model.SourceEntity.User, By(AddWorkersDescription, caller));

    /// <summary>
    /// A description naming the authenticated caller after the usual text; unchanged when there is none
    /// (authentication off), so clients matching on the text keep working.
    /// </summary>
    public static string By(string description, string? caller) =>
        caller is null ? description : $"{description} (by {caller})";

    public static PhaseChangeLogEntry Entry(
        string target, double now, bool ok, string source, string description, double? sourceEventTime = null) =>
        new()
        {
            TargetPhase = target,
            Timestamp = now,
            WasSuccessful = ok,
            SourceEventTime = sourceEventTime,
            SourceEntity = source,
            Description = description,
        };

    /// <summary>How many attempts to reach <paramref name="target"/> failed, over the taskforce's whole life.</summary>
    public static int FailureCount(IEnumerable<PhaseChangeLogEntry> log, string target) =>
        log.Count(e => e.TargetPhase == target && !e.WasSuccessful);

    /// <summary>A new log: the old one is part of an immutable document.</summary>
    public static List<PhaseChangeLogEntry> Append(IReadOnlyList<PhaseChangeLogEntry> log, PhaseChangeLogEntry entry) =>
        [.. log, entry];
}
