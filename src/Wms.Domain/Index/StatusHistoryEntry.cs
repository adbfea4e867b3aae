namespace Wms.Domain.Index;

/// <summary>
/// A taskforce's compound statuses and top task errors as they stood after one change the TMS reported, with the
/// time the service received that report (epoch seconds).
/// </summary>
public sealed record StatusHistoryEntry(
    double Timestamp,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> CompoundStatuses,
    IReadOnlyDictionary<string, long> TopTaskErrors);
