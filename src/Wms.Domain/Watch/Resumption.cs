namespace Wms.Domain.Watch;

/// <summary>How a connection that names its last event is brought up to date: by the events after it, or a snapshot.</summary>
public static class Resumption
{
    /// <summary>
    /// Null when the events after <paramref name="requested"/> can be sent (an exact resume); otherwise the
    /// <see cref="SnapshotCause"/> of the snapshot to send instead. <paramref name="epoch"/> is the current one;
    /// <paramref name="oldest"/> and <paramref name="last"/> bound the events kept (<see cref="EventRing{T}"/>).
    /// </summary>
    public static string? SnapshotCauseFor(EventPosition? requested, bool idGiven, string epoch, long oldest, long last)
    {
        if (requested is not { } position)
        {
            return idGiven ? SnapshotCause.UnknownId : SnapshotCause.New;
        }
        if (position.Epoch != epoch)
        {
            return SnapshotCause.OtherEpoch;
        }
        if (position.Sequence > last)
        {
            return SnapshotCause.UnknownId;
        }
        return position.Sequence < oldest - 1 ? SnapshotCause.TooOld : null;
    }
}
