namespace Wms.GrainInterfaces.Watch;

/// <summary>
/// A watcher's registration: the epoch, and the number of the last event before it (the watcher is sent every
/// later one). <see cref="Renewed"/> says the watcher was already registered in this epoch, so nothing was missed.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.WatchSubscription")]
public sealed record WatchSubscription(
    [property: Id(0)] string Epoch,
    [property: Id(1)] long Sequence,
    [property: Id(2)] bool Renewed);
