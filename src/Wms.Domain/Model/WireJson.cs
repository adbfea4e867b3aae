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
}
