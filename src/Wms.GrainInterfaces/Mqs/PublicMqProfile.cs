using System.Text.Json;
using Wms.Domain.Model;

namespace Wms.GrainInterfaces.Mqs;

/// <summary>
/// One public queue as the MQS describes it to users. The contract hands these profiles to users whole, so besides
/// the fields this service reads, a profile keeps every other field the MQS sent (the MQS's own timestamp, group
/// id, ...), unread, in the order the MQS sent them.
/// </summary>
/// <param name="Profile">The fields the WMS itself reads.</param>
/// <param name="WorkflowId">The workflow the queue belongs to, when the MQS names it.</param>
/// <param name="OtherFields">Every other field of the MQS's profile, as the MQS sent it.</param>
public sealed record PublicMqProfile(
    MqProfile Profile, string? WorkflowId, IReadOnlyList<KeyValuePair<string, JsonElement>> OtherFields);
