using Wms.Domain.Index;

namespace Wms.Api.Telemetry;

/// <summary>
/// The latest poll of each schedd and kind across the cluster: what every silo wrote to the store, merged with
/// what this silo served since its last write, the later time winning.
/// </summary>
public sealed class ClusterScheddPolls(ScheddPolls local, IScheddPollStore store)
{
    public async Task<IReadOnlyDictionary<(string Schedd, string Kind), DateTimeOffset>> LatestAsync(
        CancellationToken cancellationToken = default)
    {
        var latest = new Dictionary<(string Schedd, string Kind), DateTimeOffset>();
        foreach (var poll in (await store.ReadAsync(cancellationToken)).Concat(local.Snapshot()))
        {
            var key = (poll.Schedd, poll.Kind);
            if (!latest.TryGetValue(key, out var at) || at < poll.At)
            {
                latest[key] = poll.At;
            }
        }
        return latest;
    }
}
