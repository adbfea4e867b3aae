using Wms.Domain.Index;

namespace Wms.Storage.Memory;

/// <summary>
/// The latest poll of each schedd and kind for the embedded default, in process memory: the silos of one process
/// share it, and nothing survives the process.
/// </summary>
public sealed class MemoryScheddPollStore : IScheddPollStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Schedd, string Kind), DateTimeOffset> _latest = [];

    public Task RecordAsync(IReadOnlyCollection<ScheddPoll> polls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(polls);
        lock (_gate)
        {
            foreach (var poll in polls)
            {
                var key = (poll.Schedd, poll.Kind);
                if (!_latest.TryGetValue(key, out var kept) || kept < poll.At)
                {
                    _latest[key] = poll.At;
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScheddPoll>> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ScheddPoll> polls = [.. _latest.Select(p => new ScheddPoll(p.Key.Schedd, p.Key.Kind, p.Value))];
            return Task.FromResult(polls);
        }
    }
}
