using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wms.Domain.Model;

/// <summary>Serialises our documents the one way the wire and the query index both use.</summary>
public static class WireJson
{
    /// <summary>Non-ASCII text is written as is: the bodies are UTF-8 JSON, never embedded in HTML.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = WireJsonContext.Default,
    };

    public static byte[] ToUtf8(WorkflowDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, Options.GetTypeInfo(typeof(WorkflowDocument)));

    public static byte[] ToUtf8(TaskDirectiveDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, Options.GetTypeInfo(typeof(TaskDirectiveDocument)));

    public static byte[] ToUtf8(TaskforceDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, Options.GetTypeInfo(typeof(TaskforceDocument)));

    /// <summary>A document as <see cref="ToUtf8(TaskforceDocument)"/> wrote it; numbers and texts read back exactly.</summary>
    public static TaskforceDocument ReadTaskforce(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, WireJsonContext.Default.TaskforceDocument)
        ?? throw new JsonException("a taskforce document was null");

    public static TaskDirectiveDocument ReadTaskDirective(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, WireJsonContext.Default.TaskDirectiveDocument)
        ?? throw new JsonException("a task directive document was null");
}
