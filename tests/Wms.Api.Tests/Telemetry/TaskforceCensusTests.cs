using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Telemetry;
using Wms.Grains.Telemetry;
using Wms.Query;
using Wms.Testing;

namespace Wms.Api.Tests.Telemetry;

public sealed class TaskforceCensusTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ShowsEveryPhaseAndTheLaunchQueueAndFollowsTheIndex()
    {
        using var reader = new InstrumentReader();
        var time = new SignallingTime();
        var index = new CountingIndex { Counts = new() { [Phase.PendingStarter] = 2, [Phase.PreLaunch] = 3 } };
        using var census = new TaskforceCensus(reader.Metrics, index, time, NullLogger<TaskforceCensus>.Instance);

        Assert.True(await Poll.UntilAsync(() => reader.Observe(WmsMetrics.Taskforces).Count > 0, Deadline));
        Assert.Equal(Phase.All.ToDictionary(p => p, p => p switch
        {
            Phase.PendingStarter => 2.0,
            Phase.PreLaunch => 3.0,
            _ => 0.0,
        }), Phases(reader));
        Assert.Equal(3, Assert.Single(reader.Observe(WmsMetrics.LaunchQueueDepth)).Value);

        // The next count, a period later, shows what the index holds then.
        await time.TimerCreated.WaitAsync(Deadline);
        index.Counts = new() { [Phase.CondorComplete] = 7 };
        time.Advance(TaskforceCensus.Period);
        Assert.True(await Poll.UntilAsync(() => Phases(reader).GetValueOrDefault(Phase.CondorComplete) == 7, Deadline));
        Assert.Equal(0, Phases(reader)[Phase.PendingStarter]);
        Assert.Equal(0, Assert.Single(reader.Observe(WmsMetrics.LaunchQueueDepth)).Value);
        Assert.Equal(2, index.Calls);
    }

    [Fact]
    public async Task StopsCountingWhenNobodyReadsAndStartsAgainOnARead()
    {
        using var reader = new InstrumentReader();
        var time = new SignallingTime();
        var index = new CountingIndex { Counts = new() { [Phase.PendingStarter] = 1 } };
        using var census = new TaskforceCensus(reader.Metrics, index, time, NullLogger<TaskforceCensus>.Instance);
        await time.TimerCreated.WaitAsync(Deadline);
        Assert.Equal(1, index.Calls);

        // Unread for longer than IdleAfter: one more count, and the counting stops.
        time.Advance(TaskforceCensus.IdleAfter + TaskforceCensus.Period);
        Assert.True(await Poll.UntilAsync(() => index.Calls == 2, Deadline));

        // A read starts it at once, without waiting for a period: it had stopped.
        Assert.True(await Poll.UntilAsync(() =>
        {
            reader.Observe(WmsMetrics.Taskforces);
            return index.Calls == 3;
        }, Deadline));
    }

    [Fact]
    public async Task AFailedCountKeepsTheLastOneUntilItIsTooOldToShow()
    {
        using var reader = new InstrumentReader();
        var time = new SignallingTime();
        var index = new CountingIndex { Counts = new() { [Phase.CondorSubmit] = 4 } };
        using var census = new TaskforceCensus(reader.Metrics, index, time, NullLogger<TaskforceCensus>.Instance);
        await time.TimerCreated.WaitAsync(Deadline);
        Assert.Equal(4, Phases(reader)[Phase.CondorSubmit]);

        index.Fails = true;
        time.Advance(TaskforceCensus.Period);
        Assert.True(await Poll.UntilAsync(() => index.Calls == 2, Deadline));
        Assert.Equal(4, Phases(reader)[Phase.CondorSubmit]);

        // Failing on, until the last count is older than IdleAfter: then no number at all rather than a wrong one.
        await time.TimerCreated.WaitAsync(Deadline);
        time.Advance(TaskforceCensus.IdleAfter);
        Assert.True(await Poll.UntilAsync(() => index.Calls == 3, Deadline));
        Assert.Empty(reader.Observe(WmsMetrics.Taskforces));
        Assert.Empty(reader.Observe(WmsMetrics.LaunchQueueDepth));

        index.Fails = false;
        await time.TimerCreated.WaitAsync(Deadline);
        time.Advance(TaskforceCensus.Period);
        Assert.True(await Poll.UntilAsync(() => reader.Observe(WmsMetrics.Taskforces).Count == Phase.All.Count, Deadline));
    }

    private static Dictionary<string, double> Phases(InstrumentReader reader) =>
        reader.Observe(WmsMetrics.Taskforces).ToDictionary(m => m.Tags["phase"]!, m => m.Value);

    /// <summary>A fake clock that tells when a timer is made: the census has counted and waits for its period.</summary>
    private sealed class SignallingTime : FakeTimeProvider
    {
        private readonly SemaphoreSlim _created = new(0);

        public SignallingTime()
            : base(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero))
        {
        }

        public Task TimerCreated => _created.WaitAsync();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _created.Release();
            return timer;
        }
    }

    /// <summary>An index that answers the census only, with the counts given, or fails.</summary>
    private sealed class CountingIndex : IObjectIndex
    {
        private int _calls;

        public Dictionary<string, long> Counts { get; set; } = [];

        public bool Fails { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public Task<IReadOnlyDictionary<string, long>> CountTaskforcesByPhaseAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Fails
                ? Task.FromException<IReadOnlyDictionary<string, long>>(new InvalidOperationException("the database is away"))
                : Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(Counts));
        }

        public Task WriteAsync(IndexBatch batch, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<byte[]?> GetJsonAsync(ObjectKind kind, string id, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<JsonObject> FindAsync(
            ObjectKind kind, FilterNode filter, Projection? projection, Creator? createdBy = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<FoundObject> FindPageAsync(
            ObjectKind kind, FilterNode filter, Projection? projection, FindPosition? after, Creator? createdBy = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<byte[]?> NextPendingStarterAsync(
            string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<byte[]?> NextPendingStopperAsync(
            string collector, string schedd, int maxFailures, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<byte[]?> NextPendingStarterAtScheddAsync(
            string schedd, int maxFailures, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<byte[]?> NextPendingStopperAtScheddAsync(
            string schedd, int maxFailures, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ActivationCandidatesAsync(
            double now, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<double?> NextActivationDueAsync(CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<string>> LaunchCandidatesAsync(int limit, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<LaunchQueuePositions> LaunchPositionsAsync(
            IReadOnlyCollection<string> taskforceUuids, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
