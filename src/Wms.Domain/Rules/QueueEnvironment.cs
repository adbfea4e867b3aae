using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>
/// The pilot variables that tell a taskforce where its queues are, one list entry per queue. A direction without
/// queues sets nothing: the schema requires lists to be non-empty.
/// </summary>
public static class QueueEnvironment
{
    private const string Incoming = "EWMS_PILOT_QUEUE_INCOMING";
    private const string Outgoing = "EWMS_PILOT_QUEUE_OUTGOING";
    private static readonly string[] Suffixes = ["", "_AUTH_TOKEN", "_BROKER_TYPE", "_BROKER_ADDRESS"];

    /// <summary>Every name this sets; on <c>/v1</c> the TMS sets them itself, appending to any value it finds.</summary>
    public static readonly IReadOnlyList<string> Names =
        [.. Suffixes.Select(s => Incoming + s), .. Suffixes.Select(s => Outgoing + s)];

    /// <summary>The prefix of every queue variable, which a <c>/v1</c> user may not set.</summary>
    public const string Prefix = "EWMS_PILOT_QUEUE_";

    public static Dictionary<string, ConfigValue> For(
        IReadOnlyList<string> inputQueues, IReadOnlyList<string> outputQueues, IReadOnlyList<MqProfile> profiles)
    {
        var byId = profiles.ToDictionary(p => p.MqId);
        var environment = new Dictionary<string, ConfigValue>();
        Add(environment, Incoming, inputQueues, byId);
        Add(environment, Outgoing, outputQueues, byId);
        return environment;
    }

    private static void Add(
        Dictionary<string, ConfigValue> environment, string prefix, IReadOnlyList<string> queues,
        Dictionary<string, MqProfile> byId)
    {
        if (queues.Count == 0)
        {
            return;
        }
        var found = queues.Select(q => byId.TryGetValue(q, out var p)
            ? p
            : throw new InvalidOperationException($"the MQS activation did not return queue {q}")).ToList();
        environment[prefix] = ConfigValue.Of(found.Select(p => p.MqId).ToList());
        environment[prefix + Suffixes[1]] = ConfigValue.Of(found.Select(p => p.AuthToken ?? "").ToList());
        environment[prefix + Suffixes[2]] = ConfigValue.Of(found.Select(p => p.BrokerType ?? "").ToList());
        environment[prefix + Suffixes[3]] = ConfigValue.Of(found.Select(p => p.BrokerAddress ?? "").ToList());
    }
}
