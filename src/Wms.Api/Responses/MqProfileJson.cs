using System.Buffers;
using System.Text.Json;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Responses;

/// <summary>
/// Writes one queue profile as the MQS's own profile object (MQS v1's <c>MQProfileObject</c>), for answers that hand
/// the MQS's profiles on, such as the /v1 pending-starter's <c>mqprofiles</c>: its nine keys always, in the MQS's
/// order (<c>mqid, workflow_id, timestamp, alias, is_public, is_activated, auth_token, broker_type,
/// broker_address</c>), then every other field the MQS sent, as it sent them. A key the description lacks (the
/// workflow or the timestamp of a profile the MQS did not describe whole) is written as null, since the TMS reads
/// the keys it needs by name and a missing one stops it.
/// </summary>
public static class MqProfileJson
{
    /// <summary>The profile as one JSON object, in UTF-8.</summary>
    public static byte[] ToUtf8(MqsProfileDescription profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Options.Encoder }))
        {
            Write(writer, profile);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the profile as one JSON object at the writer's place (a list item, a property's value).</summary>
    public static void Write(Utf8JsonWriter writer, MqsProfileDescription profile)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(profile);
        var known = profile.Profile;
        writer.WriteStartObject();
        writer.WriteString("mqid", known.MqId);
        writer.WriteString("workflow_id", profile.WorkflowId);
        writer.WritePropertyName(MqsProfileDescription.TimestampField);
        if (profile.Timestamp is { } timestamp)
        {
            timestamp.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
        WriteQueue(writer, known);
        WriteOthers(writer, profile.OtherFields.Where(f => f.Key != MqsProfileDescription.TimestampField));
        writer.WriteEndObject();
    }

    /// <summary>The members that say what the queue is and how to reach it, from <c>alias</c> on.</summary>
    internal static void WriteQueue(Utf8JsonWriter writer, MqProfile known)
    {
        writer.WriteString("alias", known.Alias);
        writer.WriteBoolean("is_public", known.IsPublic);
        writer.WriteBoolean("is_activated", known.IsActivated);
        writer.WriteString("auth_token", known.AuthToken);
        writer.WriteString("broker_type", known.BrokerType);
        writer.WriteString("broker_address", known.BrokerAddress);
    }

    /// <summary>The MQS's other members, as it sent them.</summary>
    internal static void WriteOthers(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, JsonElement>> fields)
    {
        foreach (var (name, value) in fields)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
