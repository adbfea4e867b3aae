using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>
/// Whether an MQS activation answer can be used: every reserved queue must come back, with its id. An answer that
/// cannot is an MQS failure, judged before anything of it is stored, so that the next proper answer still activates.
/// </summary>
public static class ActivationAnswer
{
    /// <summary>What is wrong with <paramref name="activated"/>, or null when every reserved queue is in it.</summary>
    public static string? Problem(IReadOnlyList<MqProfile> reserved, IReadOnlyList<MqProfile> activated)
    {
        if (reserved.Count > 0 && activated.Count == 0)
        {
            return "the MQS activation answered no queues";
        }
        var answered = activated.Select(p => p.MqId).ToHashSet(StringComparer.Ordinal);
        var missing = reserved.Select(p => p.MqId).Where(id => !answered.Contains(id)).ToList();
        return missing.Count == 0
            ? null
            : $"the MQS activation did not answer queue{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}";
    }
}
