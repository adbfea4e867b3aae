using System.Collections.Concurrent;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>A test grain with ADO.NET-persisted state and reminders.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task<int> GetValue();

    Task<string?> GetETag();

    Task SetValue(int value);

    Task ClearValue();

    Task StartReminder(string name, TimeSpan period);

    Task StopReminder(string name);
}

[GenerateSerializer, Alias("wms-test.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public int Value { get; set; }
}

public sealed class ProbeGrain(
    [PersistentState(ProbeGrain.StateName, ProbeGrain.StorageName)] IPersistentState<ProbeState> state)
    : Grain, IProbeGrain, IRemindable
{
    public const string StateName = "probe";
    public const string StorageName = "store";

    public Task<int> GetValue() => Task.FromResult(state.State.Value);

    public Task<string?> GetETag() => Task.FromResult<string?>(state.Etag);

    public Task SetValue(int value)
    {
        state.State.Value = value;
        return state.WriteStateAsync();
    }

    public Task ClearValue() => state.ClearStateAsync();

    public Task StartReminder(string name, TimeSpan period) => this.RegisterOrUpdateReminder(name, period, period);

    public async Task StopReminder(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderTicks.Record($"{this.GetPrimaryKeyString()}/{reminderName}");
        return Task.CompletedTask;
    }
}

/// <summary>Reminder ticks seen in this process, by "grain key/reminder name" (silos run in-process).</summary>
public static class ReminderTicks
{
    private static readonly ConcurrentDictionary<string, int> Counts = new();

    public static void Record(string key) => Counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    public static int Count(string key) => Counts.GetValueOrDefault(key);
}
