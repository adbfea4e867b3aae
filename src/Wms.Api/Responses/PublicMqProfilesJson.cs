using System.Buffers;
using System.Text.Json;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Responses;

/// <summary>
/// Writes the public-profile answer in the MQS's shape, <c>{"mqprofiles": [...]}</c>: each profile's fields that the
/// WMS reads, then every other field the MQS sent, as it sent them, so that users get the profiles whole.
/// </summary>
public static class PublicMqProfilesJson
{
    public static byte[] ToUtf8(PublicMqProfiles answer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("mqprofiles");
            foreach (var profile in answer.Profiles)
            {
                Write(writer, profile);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, MqsProfileDescription profile)
    {
        var known = profile.Profile;
        writer.WriteStartObject();
        writer.WriteString("mqid", known.MqId);
        if (profile.WorkflowId is { } workflowId)
        {
            writer.WriteString("workflow_id", workflowId);
        }
        MqProfileJson.WriteQueue(writer, known);
        MqProfileJson.WriteOthers(writer, profile.OtherFields);
        writer.WriteEndObject();
    }
}
