namespace Wms.GrainInterfaces.Watch;

/// <summary>
/// The events a reconnecting client missed, oldest first; or, when they cannot all be given, null events and the
/// <see cref="Domain.Watch.SnapshotCause"/> of the snapshot to send instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.ResumeAnswer")]
public sealed record ResumeAnswer(
    [property: Id(0)] string Epoch,
    [property: Id(1)] IReadOnlyList<WatchEvent>? Events,
    [property: Id(2)] string? SnapshotCause);
