namespace Wms.Grains.Mqs;

/// <summary>
/// An answer's body as JSON reads it: the bytes themselves, since JSON is UTF-8 and the charset an answer names
/// (perhaps wrongly) must not stop the reading; a leading byte order mark is dropped, as a text reader would.
/// </summary>
internal static class JsonBody
{
    public static ReadOnlyMemory<byte> Of(byte[] bytes) =>
        bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsMemory(3) : bytes;

    /// <summary>True for a body that is empty or only white space.</summary>
    public static bool IsBlank(ReadOnlyMemory<byte> body) => body.Span.Trim(" \t\r\n"u8).IsEmpty;
}
