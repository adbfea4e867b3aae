namespace Wms.Domain.Index;

/// <summary>The history when it is turned off: nothing is kept, and every taskforce's history is empty.</summary>
public sealed class NoStatusHistory : IStatusHistory
{
    public static readonly NoStatusHistory Instance = new();

    public void Append(string taskforceUuid, StatusHistoryEntry entry)
    {
    }

    public Task<IReadOnlyList<StatusHistoryEntry>> ReadAsync(string taskforceUuid, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StatusHistoryEntry>>([]);

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
