using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Wms.Api.Rendering;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Mqs;

namespace Wms.Api.Responses;

/// <summary>
/// The <c>/v1</c> pending-starter answer, <c>{taskforce, task_directive, mqprofiles}</c>: what TMS v1.2.4 builds a
/// pilot's environment from. The taskforce comes as stored and is shown here as <c>/v1</c> shows it, straight into
/// the answer; the directive comes already shown so.
/// </summary>
public static class PendingStarterV1
{
    /// <summary>
    /// Each live profile as JSON, kept while the profile source keeps that profile: a poll answers the same few
    /// profiles again and again, and writing one anew (its token above all) costs more than the look-up. A profile
    /// never changes; a renewed one is another object, shown anew.
    /// </summary>
    private static readonly ConditionalWeakTable<MqsProfileDescription, byte[]> Shown = new();

    public static RawJson Of(byte[] storedTaskforce, byte[] directiveV1, IReadOnlyList<MqsProfileDescription> profiles)
    {
        var buffer = new ArrayBufferWriter<byte>(storedTaskforce.Length + directiveV1.Length + 256 * (profiles.Count + 1));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("taskforce");
            DocumentRenderer.Render(storedTaskforce, GenerationView.Rule(ApiGeneration.V1, ObjectKind.Taskforce), writer);
            writer.WritePropertyName("task_directive");
            writer.WriteRawValue(directiveV1, skipInputValidation: true);
            writer.WriteStartArray("mqprofiles");
            foreach (var profile in profiles)
            {
                writer.WriteRawValue(Shown.GetValue(profile, static p => MqProfileJson.ToUtf8(p)), skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return new RawJson(buffer.WrittenSpan.ToArray());
    }
}
