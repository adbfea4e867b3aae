using System.Text.Json;
using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Mqs;

/// <summary>
/// One queue as the MQS describes it: to users (the public-profile read), to the WMS (a profile read, an
/// activation), or to the TMS through the WMS. Callers hand these profiles on whole, so besides the fields this
/// service reads, a description keeps every other field the MQS sent (its timestamp, a group id, ...), unread, in
/// the order the MQS sent them.
/// </summary>
/// <param name="Profile">The fields the WMS itself reads.</param>
/// <param name="WorkflowId">The workflow the queue belongs to, when the MQS names it.</param>
/// <param name="OtherFields">Every other field of the MQS's profile, as the MQS sent it.</param>
public sealed record MqsProfileDescription(
    MqProfile Profile, string? WorkflowId, IReadOnlyList<KeyValuePair<string, JsonElement>> OtherFields)
{
    /// <summary>The name of the MQS's field that says when it made the profile (seconds since the epoch).</summary>
    public const string TimestampField = "timestamp";

    /// <summary>The MQS's <c>timestamp</c> field as it sent it, if it sent one.</summary>
    public JsonElement? Timestamp
    {
        get
        {
            foreach (var (name, value) in OtherFields)
            {
                if (name == TimestampField)
                {
                    return value;
                }
            }
            return null;
        }
    }
}
