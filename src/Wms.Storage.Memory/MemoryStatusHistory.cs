using Wms.Domain.Index;
using Wms.Domain.Rules;

namespace Wms.Storage.Memory;

/// <summary>
/// The status history of the embedded default, in process memory. A taskforce's entries are thinned by the
/// retention rule whenever they pass its cap, so each holds at most that many; a read applies the rule as of now.
/// </summary>
/// <remarks>
/// The PostgreSQL history trims at the same point (past the cap) with the same rule, so the same appends give the
/// same history in both.
/// </remarks>
public sealed class MemoryStatusHistory(StatusHistoryRetention retention, TimeProvider time) : IStatusHistory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<StatusHistoryEntry>> _entries = new(StringComparer.Ordinal);

    public void Append(string taskforceUuid, StatusHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(taskforceUuid);
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (!_entries.TryGetValue(taskforceUuid, out var entries))
            {
                _entries[taskforceUuid] = entries = [];
            }
            // Oldest first; an entry stamped earlier than the last (another silo's clock) goes where its time puts it,
            // after any of the same time, as the database orders them.
            var at = entries.Count;
            while (at > 0 && entries[at - 1].Timestamp > entry.Timestamp)
            {
                at--;
            }
            entries.Insert(at, entry);
            if (entries.Count > retention.MaxEntries)
            {
                var kept = retention.Apply(entries, e => e.Timestamp, time.EpochSeconds());
                _entries[taskforceUuid] = [.. kept];
            }
        }
    }

    public Task<IReadOnlyList<StatusHistoryEntry>> ReadAsync(
        string taskforceUuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskforceUuid);
        StatusHistoryEntry[] entries;
        lock (_gate)
        {
            entries = _entries.TryGetValue(taskforceUuid, out var stored) ? [.. stored] : [];
        }
        return Task.FromResult(retention.Apply(entries, e => e.Timestamp, time.EpochSeconds()));
    }

    /// <summary>Nothing waits: an append is whole when it returns.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
