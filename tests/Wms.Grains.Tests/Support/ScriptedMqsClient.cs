using System.Collections.Concurrent;
using System.Security.Cryptography;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Grains.Tests.Support;

/// <summary>
/// A test double at the MQS protocol seam. It records every call, grants reservations at once, and answers
/// activations as scripted per workflow: try again later, fail, wait for a gate, or (by default) grant.
/// Thread-safe: the silos call it from their schedulers while tests script and read it.
/// </summary>
/// <param name="repeatable">
/// Like the embedded MQS: a second reservation is granted afresh, and an activation grants the profiles the workflow
/// says it reserved. Otherwise like this era's MQS: a second reservation is refused, and an activation grants what
/// this double reserved.
/// </param>
public sealed class ScriptedMqsClient(bool repeatable = false) : IMqsClient
{
    public const string BrokerType = "rabbitmq";
    public const string BrokerAddress = "broker.test:5672";

    private long _sequence;
    private readonly ConcurrentQueue<MqsSeamRecord> _calls = new();
    private readonly ConcurrentDictionary<string, List<MqProfile>> _reserved = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ActivationStep>> _steps = new();
    private readonly ConcurrentDictionary<string, bool> _held = new();
    private readonly ConcurrentDictionary<string, string> _reservationFailures = new();
    private readonly ConcurrentDictionary<string, string> _aliasFailures = new();

    /// <summary>One scripted activation answer; a null result means "grant the reserved queues".</summary>
    public delegate Task<MqsActivation?> ActivationStep();

    public static ActivationStep TryAgainLater { get; } = () => Task.FromResult<MqsActivation?>(MqsActivation.Later);

    public static ActivationStep Fail(string message) =>
        () => Task.FromException<MqsActivation?>(new MqsException(message));

    /// <summary>Holds the caller until <paramref name="gate"/> completes, then grants.</summary>
    public static ActivationStep WaitFor(Task gate) => async () =>
    {
        await gate;
        return null;
    };

    /// <summary>Answers the next activations of <paramref name="workflowId"/> with these steps, in order.</summary>
    public void Script(string workflowId, params ActivationStep[] steps)
    {
        var queue = _steps.GetOrAdd(workflowId, _ => new ConcurrentQueue<ActivationStep>());
        foreach (var step in steps)
        {
            queue.Enqueue(step);
        }
    }

    /// <summary>Answers try-again-later to every activation of this workflow until released.</summary>
    public void Hold(string workflowId) => _held[workflowId] = true;

    public void Release(string workflowId) => _held.TryRemove(workflowId, out _);

    public void FailReservation(string workflowId, string message) => _reservationFailures[workflowId] = message;

    public void AllowReservation(string workflowId) => _reservationFailures.TryRemove(workflowId, out _);

    /// <summary>Fails every reservation that names <paramref name="alias"/>, for workflows whose id a test cannot know.</summary>
    public void FailReservationsOf(string alias, string message) => _aliasFailures[alias] = message;

    public void AllowReservationsOf(string alias) => _aliasFailures.TryRemove(alias, out _);

    public bool ReservationIsRepeatable => repeatable;

    public IReadOnlyList<MqsSeamRecord> Calls => _calls.OrderBy(c => c.Sequence).ToList();

    public IReadOnlyList<MqsSeamRecord> Activations(string workflowId) =>
        Calls.Where(c => c.Kind == MqsSeamCall.Activation && c.WorkflowId == workflowId).ToList();

    public IReadOnlyList<MqsSeamRecord> Reservations(string workflowId) =>
        Calls.Where(c => c.Kind == MqsSeamCall.Reservation && c.WorkflowId == workflowId).ToList();

    public IReadOnlyList<MqProfile> ReservedProfiles(string workflowId) =>
        _reserved.TryGetValue(workflowId, out var profiles) ? profiles : [];

    public static string TokenFor(string mqid) => "token-" + mqid;

    public Task<List<MqProfile>> ReserveAsync(
        string workflowId, IReadOnlyList<string> queueAliases, IReadOnlyList<string> publicAliases,
        CancellationToken cancellationToken)
    {
        Record(MqsSeamCall.Reservation, workflowId, queueAliases, publicAliases, null);
        var message = _reservationFailures.GetValueOrDefault(workflowId)
            ?? queueAliases.Select(a => _aliasFailures.GetValueOrDefault(a)).FirstOrDefault(m => m is not null);
        if (message is not null)
        {
            return Task.FromException<List<MqProfile>>(new MqsException(message));
        }
        var isPublic = publicAliases.ToHashSet();
        var profiles = queueAliases.Concat(publicAliases).Distinct()
            .Select(alias => new MqProfile
            {
                MqId = "mq" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
                Alias = alias,
                IsPublic = isPublic.Contains(alias),
            })
            .ToList();
        if (repeatable)
        {
            _reserved[workflowId] = profiles;
        }
        else if (!_reserved.TryAdd(workflowId, profiles))
        {
            // The MQS of this era refuses a second reservation of one workflow.
            return Task.FromException<List<MqProfile>>(new MqsException($"second reservation of {workflowId}"));
        }
        return Task.FromResult(profiles.ToList());
    }

    public async Task<MqsActivation> ActivateAsync(
        string workflowId, int priority, IReadOnlyList<MqProfile> reserved, CancellationToken cancellationToken)
    {
        Record(MqsSeamCall.Activation, workflowId, [], [], priority);
        if (_held.ContainsKey(workflowId))
        {
            return MqsActivation.Later;
        }
        if (_steps.TryGetValue(workflowId, out var queue) && queue.TryDequeue(out var step))
        {
            if (await step() is { } answer)
            {
                return answer;
            }
        }
        List<MqProfile>? profiles;
        if (repeatable)
        {
            profiles = reserved.ToList();
        }
        else if (!_reserved.TryGetValue(workflowId, out profiles))
        {
            throw new MqsException($"nothing reserved for {workflowId}");
        }
        return new MqsActivation(false, profiles.Select(p => p with
        {
            IsActivated = true,
            AuthToken = TokenFor(p.MqId),
            BrokerType = BrokerType,
            BrokerAddress = BrokerAddress,
        }).ToList());
    }

    public Task<MqsProfileDescription?> GetProfileAsync(
        string workflowId, string mqid, CancellationToken cancellationToken) =>
        Task.FromResult(ReservedProfiles(workflowId).FirstOrDefault(p => p.MqId == mqid) is { } profile
            ? new MqsProfileDescription(profile, workflowId, [])
            : null);

    public Task<PublicMqProfiles> GetPublicProfilesAsync(
        string workflowId, string? callerToken, CancellationToken cancellationToken) =>
        Task.FromResult(new PublicMqProfiles(
            [.. ReservedProfiles(workflowId).Where(p => p.IsPublic).Select(p => new MqsProfileDescription(p, workflowId, []))]));

    private void Record(
        MqsSeamCall kind, string workflowId, IReadOnlyList<string> aliases, IReadOnlyList<string> publicAliases,
        int? priority) =>
        _calls.Enqueue(new MqsSeamRecord(Interlocked.Increment(ref _sequence), kind, workflowId,
            DateTimeOffset.UtcNow, [.. aliases], [.. publicAliases], priority));
}

public enum MqsSeamCall
{
    Reservation,
    Activation,
}

public sealed record MqsSeamRecord(
    long Sequence, MqsSeamCall Kind, string WorkflowId, DateTimeOffset At, IReadOnlyList<string> QueueAliases,
    IReadOnlyList<string> PublicAliases, int? Priority);
