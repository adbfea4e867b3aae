using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Mqs;

/// <summary>
/// The live profiles of workflows' queues, kept per silo until shortly before their tokens expire (each silo asks
/// for itself). A token's expiry is its JWT <c>exp</c> (<see cref="QueueTokenExpiry"/>), else a day from when it was
/// got. Where the profiles come from depends on the MQS:
/// <list type="bullet">
/// <item>MQS v1 at an address: one activation, which mints new tokens for every queue of the workflow and answers
/// all its profiles whole in one call. Reading a profile would cost a call per queue and answer the token as first
/// minted, perhaps about to expire, so a miss activates at once.</item>
/// <item>The embedded MQS: what the workflow was granted at activation (<see cref="IWorkflowGrain.GetMqProfilesAsync"/>);
/// on v1, tokens about to expire are minted anew by the embedded MQS, kept here only, since nothing checks them.</item>
/// <item>MQS v0 at an address: what the workflow was granted, as it is; that MQS has no profile read, and its
/// tokens are not renewed.</item>
/// </list>
/// </summary>
/// <remarks>
/// A hit costs a dictionary look-up and a clock read; concurrent misses for one workflow share one fetch, and
/// different workflows never wait for each other. The number of workflows kept is capped
/// (<see cref="MqsOptions.ProfileCacheCapacity"/>); past it the least recently asked are dropped. A failed fetch
/// answers null, is logged once, and is remembered for <see cref="MqsOptions.ProfileFailureHold"/> so that a
/// failing MQS is not asked at the poll rate.
/// </remarks>
public sealed partial class MqProfileSource(
    IServiceProvider services, IOptions<MqsOptions> options, TimeProvider time, ILogger<MqProfileSource> logger)
    : IMqProfileSource
{
    /// <summary>
    /// However soon the tokens expire, what was fetched is kept at least this long: an MQS that mints tokens shorter
    /// than the renewal margin, or a v0 token already expired, must not make every poll a fetch.
    /// </summary>
    private static readonly TimeSpan MinimumKeep = TimeSpan.FromMinutes(1);

    private static readonly Task<IReadOnlyList<MqsProfileDescription>?> NoQueues =
        Task.FromResult<IReadOnlyList<MqsProfileDescription>?>([]);

    private static readonly Task<IReadOnlyList<MqsProfileDescription>?> NotNow =
        Task.FromResult<IReadOnlyList<MqsProfileDescription>?>(null);

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private int _count;
    private int _trimming;

    /// <summary>How many workflows' profiles (or failures) are kept now.</summary>
    public int Count => Volatile.Read(ref _count);

    public Task<IReadOnlyList<MqsProfileDescription>?> GetLiveAsync(
        string workflowId, int workflowPriority, IReadOnlyList<string> mqids, CancellationToken cancellationToken)
    {
        if (mqids.Count == 0)
        {
            return NoQueues;
        }
        if (_slots.TryGetValue(workflowId, out var slot) && slot.Current is { } kept && time.GetUtcNow() < kept.RenewAt)
        {
            slot.Touch();
            return kept.Profiles is null
                ? NotNow
                : Task.FromResult<IReadOnlyList<MqsProfileDescription>?>(Pick(workflowId, kept, mqids));
        }
        return FetchAndPickAsync(workflowId, workflowPriority, mqids, cancellationToken);
    }

    private async Task<IReadOnlyList<MqsProfileDescription>?> FetchAndPickAsync(
        string workflowId, int workflowPriority, IReadOnlyList<string> mqids, CancellationToken cancellationToken)
    {
        var slot = SlotOf(workflowId);
        Task<Kept> fetch;
        TaskCompletionSource<Kept>? mine = null;
        lock (slot.Gate)
        {
            slot.Touch();
            if (slot.Current is { } kept && time.GetUtcNow() < kept.RenewAt)
            {
                fetch = Task.FromResult(kept);
            }
            else if (slot.Fetching is { } shared)
            {
                fetch = shared;
            }
            else
            {
                // Started outside the lock, and not on this caller's token: the callers who join it must not lose it
                // because the first one gave up.
                mine = new TaskCompletionSource<Kept>(TaskCreationOptions.RunContinuationsAsynchronously);
                fetch = slot.Fetching = mine.Task;
            }
        }
        if (mine is not null)
        {
            _ = FetchAsync(slot, mine, workflowId, workflowPriority);
        }
        var result = await fetch.WaitAsync(cancellationToken);
        return result.Profiles is null ? null : Pick(workflowId, result, mqids);
    }

    /// <summary>The wanted profiles in the order asked; null (logged) when the workflow has no such queue.</summary>
    private MqsProfileDescription[]? Pick(string workflowId, Kept kept, IReadOnlyList<string> mqids)
    {
        var picked = new MqsProfileDescription[mqids.Count];
        for (var i = 0; i < picked.Length; i++)
        {
            if (!kept.Profiles!.TryGetValue(mqids[i], out var profile))
            {
                LogNoSuchQueue(logger, workflowId, mqids[i]);
                return null;
            }
            picked[i] = profile;
        }
        return picked;
    }

    /// <summary>Fetches, keeps what came and completes <paramref name="done"/>; never throws.</summary>
    private async Task FetchAsync(Slot slot, TaskCompletionSource<Kept> done, string workflowId, int priority)
    {
        var o = options.Value;
        Kept kept;
        var limit = o.ProfileFetchTimeout > TimeSpan.Zero ? o.ProfileFetchTimeout : Timeout.InfiniteTimeSpan;
        using (var deadline = new CancellationTokenSource(limit, time))
        {
            try
            {
                var (profiles, minted, problem) = await LoadAsync(workflowId, priority, o, deadline.Token);
                kept = (problem is null ? Keep(workflowId, profiles!, minted, o, out problem) : null)
                    ?? Failed(workflowId, problem, o);
            }
            catch (MqsException e)
            {
                kept = Failed(workflowId, e.Message, o);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                var seconds = limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                kept = Failed(workflowId, $"no answer within {seconds} s", o);
            }
            catch (Exception e)
            {
                // A grain call that failed, say: still never the TMS's problem.
                LogFetchBroke(logger, workflowId, e);
                kept = Failed(workflowId, null, o);
            }
        }
        lock (slot.Gate)
        {
            slot.Current = kept;
            slot.Fetching = null;
        }
        done.SetResult(kept);
    }

    /// <summary>Every profile of the workflow whole, and when their tokens were (at the latest) minted; or why not.</summary>
    private async Task<(IReadOnlyList<MqsProfileDescription>? Profiles, DateTimeOffset Minted, string? Problem)> LoadAsync(
        string workflowId, int priority, MqsOptions o, CancellationToken cancellationToken)
    {
        var asked = time.GetUtcNow();
        if (!o.IsEmbedded && !o.IsV0)
        {
            return await ActivateAsync(workflowId, priority, [], asked, cancellationToken);
        }
        var granted = await services.GetRequiredService<IGrainFactory>().Get<IWorkflowGrain>(workflowId)
            .GetMqProfilesAsync().WaitAsync(cancellationToken);
        if (granted.Count == 0)
        {
            return (null, asked, "the workflow has no queues (or is unknown)");
        }
        if (granted.Any(p => !p.IsActivated || p.AuthToken is null))
        {
            return (null, asked, "the workflow's queues are not activated yet");
        }
        // When the grant was minted is not known here: the tokens are taken to live a day from now if they do not say.
        if (o.IsEmbedded && !o.IsV0 &&
            granted.Min(p => QueueTokenExpiry.ReadOrAssume(p.AuthToken, asked)) - Margin(o) <= asked)
        {
            return await ActivateAsync(workflowId, priority, granted, asked, cancellationToken);
        }
        return ([.. granted.Select(p => StampedProfile.Describe(p, workflowId, () => asked))], asked, null);
    }

    private async Task<(IReadOnlyList<MqsProfileDescription>? Profiles, DateTimeOffset Minted, string? Problem)> ActivateAsync(
        string workflowId, int priority, IReadOnlyList<MqProfile> reserved, DateTimeOffset asked,
        CancellationToken cancellationToken)
    {
        var answer = await services.GetRequiredService<IMqsClient>()
            .ActivateAsync(workflowId, priority, reserved, cancellationToken);
        if (answer.TryAgainLater)
        {
            return (null, asked, "the MQS said to try again later");
        }
        // A client that keeps no descriptions (a test double) still has the profiles.
        IReadOnlyList<MqsProfileDescription> described = answer.Descriptions.Count > 0 || answer.Profiles.Count == 0
            ? answer.Descriptions
            : [.. answer.Profiles.Select(p => StampedProfile.Describe(p, workflowId, asked))];
        // The MQS minted the tokens while answering: no earlier than the question.
        return (described, asked, null);
    }

    private Kept? Keep(
        string workflowId, IReadOnlyList<MqsProfileDescription> profiles, DateTimeOffset minted, MqsOptions o,
        out string? problem)
    {
        problem = null;
        if (profiles.Count == 0)
        {
            problem = "the MQS answered no profiles";
            return null;
        }
        var byId = new Dictionary<string, MqsProfileDescription>(profiles.Count, StringComparer.Ordinal);
        var expires = DateTimeOffset.MaxValue;
        foreach (var described in profiles)
        {
            var profile = described.Profile;
            if (!profile.IsActivated || profile.AuthToken is null)
            {
                problem = $"the MQS answered queue {profile.MqId} without a live token";
                return null;
            }
            var expiry = QueueTokenExpiry.ReadOrAssume(profile.AuthToken, minted);
            expires = expiry < expires ? expiry : expires;
            byId[profile.MqId] = described;
        }
        var now = time.GetUtcNow();
        var renewAt = expires - Margin(o);
        var earliest = now + MinimumKeep;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogFetched(logger, workflowId, byId.Count, expires);
        }
        return new Kept(byId, renewAt > earliest ? renewAt : earliest);
    }

    private Kept Failed(string workflowId, string? reason, MqsOptions o)
    {
        if (reason is not null)
        {
            LogUnavailable(logger, workflowId, reason);
        }
        var hold = o.ProfileFailureHold > TimeSpan.Zero ? o.ProfileFailureHold : TimeSpan.Zero;
        return new Kept(null, time.GetUtcNow() + hold);
    }

    private static TimeSpan Margin(MqsOptions o) =>
        o.ProfileRenewalMargin > TimeSpan.Zero ? o.ProfileRenewalMargin : TimeSpan.Zero;

    private Slot SlotOf(string workflowId)
    {
        if (_slots.TryGetValue(workflowId, out var slot))
        {
            return slot;
        }
        var fresh = new Slot();
        slot = _slots.GetOrAdd(workflowId, fresh);
        if (ReferenceEquals(slot, fresh) && Interlocked.Increment(ref _count) > Capacity)
        {
            Trim(fresh);
        }
        return slot;
    }

    private int Capacity => Math.Max(1, options.Value.ProfileCacheCapacity);

    /// <summary>
    /// Drops the least recently asked workflows that no fetch is running for, down to nine tenths of the capacity,
    /// so that the next trim is a tenth of the capacity away. <paramref name="spared"/>, just added, stays.
    /// </summary>
    private void Trim(Slot spared)
    {
        if (Interlocked.Exchange(ref _trimming, 1) != 0)
        {
            return;
        }
        try
        {
            var target = Capacity - (Capacity / 10);
            var excess = Count - target;
            if (excess <= 0)
            {
                return;
            }
            var idle = _slots.Where(s => !ReferenceEquals(s.Value, spared) && !s.Value.IsFetching)
                .OrderBy(s => s.Value.LastUsed)
                .Take(excess)
                .ToList();
            foreach (var old in idle)
            {
                if (_slots.TryRemove(old))
                {
                    Interlocked.Decrement(ref _count);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _trimming, 0);
        }
    }

    /// <summary>What was fetched for one workflow: its profiles by mqid, or null after a failure; and when to ask again.</summary>
    private sealed record Kept(Dictionary<string, MqsProfileDescription>? Profiles, DateTimeOffset RenewAt);

    /// <summary>One workflow's place in the cache.</summary>
    private sealed class Slot
    {
        private Kept? _current;
        private long _lastUsed;

        public Lock Gate { get; } = new();

        /// <summary>Read without the lock on a hit; written under it.</summary>
        public Kept? Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }

        /// <summary>The fetch under way, if any; read and written under <see cref="Gate"/>.</summary>
        public Task<Kept>? Fetching { get; set; }

        public bool IsFetching
        {
            get
            {
                lock (Gate)
                {
                    return Fetching is not null;
                }
            }
        }

        /// <summary>When it was last asked for, on the monotonic clock; written without a lock, as an order suffices.</summary>
        public long LastUsed => Volatile.Read(ref _lastUsed);

        public void Touch() => Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The live MQ profiles of workflow {WorkflowId} cannot be had now: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string workflowId, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The live MQ profiles of workflow {WorkflowId} cannot be had now: fetching them broke")]
    private static partial void LogFetchBroke(ILogger logger, string workflowId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Workflow {WorkflowId} has no queue {MqId}: its live MQ profiles cannot be given")]
    private static partial void LogNoSuchQueue(ILogger logger, string workflowId, string mqId);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Fetched the live MQ profiles of workflow {WorkflowId}: {Count} queues, tokens valid until {Expires}")]
    private static partial void LogFetched(ILogger logger, string workflowId, int count, DateTimeOffset expires);
}
