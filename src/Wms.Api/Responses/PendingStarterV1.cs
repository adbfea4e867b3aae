using System.Buffers;
using System.Text.Json;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Responses;

/// <summary>
/// The <c>/v1</c> pending-starter answer, <c>{taskforce, task_directive, mqprofiles}</c>: what TMS v1.2.4 builds a
/// pilot's environment from. The taskforce and directive come already shown as <c>/v1</c> shows them.
/// </summary>
public static class PendingStarterV1
{
    public static RawJson Of(byte[] taskforceV1, byte[] directiveV1, IReadOnlyList<MqsProfileDescription> profiles)
    {
        var buffer = new ArrayBufferWriter<byte>(taskforceV1.Length + directiveV1.Length + 256 * (profiles.Count + 1));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("taskforce");
            writer.WriteRawValue(taskforceV1, skipInputValidation: true);
            writer.WritePropertyName("task_directive");
            writer.WriteRawValue(directiveV1, skipInputValidation: true);
            writer.WriteStartArray("mqprofiles");
            foreach (var profile in profiles)
            {
                MqProfileJson.Write(writer, profile);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new RawJson(buffer.WrittenSpan.ToArray());
    }
}
