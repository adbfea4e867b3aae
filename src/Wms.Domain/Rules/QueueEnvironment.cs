using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>
/// The pilot variables that tell a taskforce where its queues are, one list entry per queue. A direction without
/// queues sets nothing: the schema requires lists to be non-empty.
/// </summary>
public static class QueueEnvironment
{
    public static Dictionary<string, ConfigValue> For(
        IReadOnlyList<string> inputQueues, IReadOnlyList<string> outputQueues, IReadOnlyList<MqProfile> profiles)
    {
        var byId = profiles.ToDictionary(p => p.MqId);
        var environment = new Dictionary<string, ConfigValue>();
        Add(environment, "EWMS_PILOT_QUEUE_INCOMING", inputQueues, byId);
        Add(environment, "EWMS_PILOT_QUEUE_OUTGOING", outputQueues, byId);
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
        environment[prefix + "_AUTH_TOKEN"] = ConfigValue.Of(found.Select(p => p.AuthToken ?? "").ToList());
        environment[prefix + "_BROKER_TYPE"] = ConfigValue.Of(found.Select(p => p.BrokerType ?? "").ToList());
        environment[prefix + "_BROKER_ADDRESS"] = ConfigValue.Of(found.Select(p => p.BrokerAddress ?? "").ToList());
    }
}
