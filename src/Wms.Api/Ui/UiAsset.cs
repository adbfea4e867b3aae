using System.Security.Cryptography;

namespace Wms.Api.Ui;

/// <summary>One file of the web view as it is served: its bytes, its media type, and the entity tag of its bytes.</summary>
public sealed class UiAsset
{
    public UiAsset(string name, string contentType, byte[] content)
    {
        Name = name;
        ContentType = contentType;
        Content = content;
        // A hash of the bytes: the tag changes exactly when a release changes the file.
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16))}\"";
    }

    public string Name { get; }

    public string ContentType { get; }

    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>A strong entity tag, quoted, as the <c>ETag</c> header carries it.</summary>
    public string ETag { get; }
}
