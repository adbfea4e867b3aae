namespace Wms.Domain.Watch;

/// <summary>
/// Why a stream sends a snapshot rather than the events a client missed: the <c>cause</c> of a <c>snapshot</c> event.
/// </summary>
public static class SnapshotCause
{
    /// <summary>The client named no event to resume after.</summary>
    public const string New = "new";

    /// <summary>The id it named is not one this service gives, or names an event not yet sent.</summary>
    public const string UnknownId = "unknown-id";

    /// <summary>The id belongs to another epoch: the workflow's event sequence has started again since.</summary>
    public const string OtherEpoch = "other-epoch";

    /// <summary>More events happened since the id than are kept.</summary>
    public const string TooOld = "too-old";

    /// <summary>
    /// During the stream: the workflow's event sequence started again (the silo that kept it left the cluster), or
    /// this silo fell behind further than the events kept.
    /// </summary>
    public const string Restarted = "restarted";
}
