using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>
/// Whether an MQS activation answer can be used: every reserved queue must come back, once, with its id. An answer
/// that cannot is an MQS failure, judged before anything of it is stored, so that the next proper answer still
/// activates.
/// </summary>
public static class ActivationAnswer
{
    /// <summary>What is wrong with <paramref name="activated"/>, or null when every reserved queue is in it once.</summary>
    public static string? Problem(IReadOnlyList<MqProfile> reserved, IReadOnlyList<MqProfile> activated)
    {
        if (reserved.Count > 0 && activated.Count == 0)
        {
            return "the MQS activation answered no queues";
        }
        // A queue named twice cannot say which of its two descriptions holds.
        var twice = activated.GroupBy(p => p.MqId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            return $"the MQS activation answered queue{Plural(twice)} {string.Join(", ", twice)} more than once";
        }
        var answered = activated.Select(p => p.MqId).ToHashSet(StringComparer.Ordinal);
        var missing = reserved.Select(p => p.MqId).Where(id => !answered.Contains(id)).ToList();
        return missing.Count == 0
            ? null
            : $"the MQS activation did not answer queue{Plural(missing)} {string.Join(", ", missing)}";
    }

    private static string Plural(List<string> ids) => ids.Count == 1 ? "" : "s";
}
