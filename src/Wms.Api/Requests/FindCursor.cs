using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Requests;

namespace Wms.Api.Requests;

/// <summary>
/// The <c>after</c> / <c>next_after</c> cursor of <c>/v1</c> finds: an opaque text holding the position of the last
/// object a page gave (<see cref="FindPosition"/>). It is made of the data alone, so it stays good across silos and
/// restarts, and pages resume in the same order whoever serves them.
/// </summary>
public static class FindCursor
{
    // The first byte says how the rest is laid out, so a later layout can still read older cursors.
    private const byte Layout = 1;
    private const int Header = 1 + sizeof(long);

    public static string Encode(FindPosition position)
    {
        var id = Encoding.UTF8.GetBytes(position.Id);
        var bytes = new byte[Header + id.Length];
        bytes[0] = Layout;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), BitConverter.DoubleToInt64Bits(position.Timestamp));
        id.CopyTo(bytes, Header);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <summary>The position a cursor holds; a 400 for anything this service did not give for this kind.</summary>
    public static FindPosition Decode(string cursor, ObjectKind kind)
    {
        byte[] bytes;
        try
        {
            bytes = cursor.Length is > 0 and <= 512 ? WebEncoders.Base64UrlDecode(cursor) : [];
        }
        catch (FormatException)
        {
            bytes = [];
        }
        if (bytes.Length > Header && bytes[0] == Layout)
        {
            var timestamp = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)));
            var id = Utf8(bytes.AsSpan(Header));
            if (double.IsFinite(timestamp) && id is not null && IsIdOf(kind, id) && Encode(new(timestamp, id)) == cursor)
            {
                return new FindPosition(timestamp, id);
            }
        }
        throw new BadRequestException("after must be a next_after value this service gave for the same kind of object");
    }

    private static string? Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsIdOf(ObjectKind kind, string id) => kind switch
    {
        ObjectKind.Workflow => Ids.IsWorkflowId(id),
        ObjectKind.TaskDirective => Ids.IsTaskId(id),
        _ => Ids.IsTaskforceUuid(id),
    };
}
