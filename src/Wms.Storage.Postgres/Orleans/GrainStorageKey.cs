using System.Text;

namespace Wms.Storage.Postgres;

/// <summary>
/// A grain key as Orleans' ADO.NET grain storage splits it into row identity (N0, N1, extension), and the bytes it
/// hashes into <c>GrainIdHash</c>. A Guid key gives its two halves; an integer key gives N1; any other key is all
/// extension (the row identity is described in <c>Migrations/0001_orleans_schema.sql</c>). The provider's own
/// splitter is internal, so this one follows the same rules, and the tests check it against the provider by
/// reading each other's rows for every key shape.
/// </summary>
internal readonly record struct GrainStorageKey(long N0, long N1, string? Extension, byte[] HashBytes)
{
    public static GrainStorageKey Of(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            var bytes = guid.ToByteArray();
            return new(
                BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), guidExtension,
                HashInput(bytes, guidExtension));
        }
        if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            return new(0, integer, integerExtension, HashInput(BitConverter.GetBytes(integer), integerExtension));
        }
        var key = grainId.Key.ToString();
        return new(0, 0, key, HashInput([], key));
    }

    /// <summary>The number's bytes, then the extension's UTF-8, the whole reversed on a little-endian machine.</summary>
    private static byte[] HashInput(byte[] number, string? extension)
    {
        var text = extension is null ? 0 : Encoding.UTF8.GetByteCount(extension);
        var bytes = new byte[number.Length + text];
        number.CopyTo(bytes, 0);
        if (extension is not null)
        {
            Encoding.UTF8.GetBytes(extension, bytes.AsSpan(number.Length));
        }
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }
        return bytes;
    }
}
