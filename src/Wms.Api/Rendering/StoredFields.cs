using System.Text.Json;

namespace Wms.Api.Rendering;

/// <summary>Reads a few top-level texts of a stored document without reading the rest into objects.</summary>
public static class StoredFields
{
    /// <summary>
    /// The text of each named top-level member, null where absent or not a text. The reading stops once every name
    /// was met, as a stored document names each member once: the rest of it is not read.
    /// </summary>
    public static string?[] Texts(ReadOnlySpan<byte> json, params ReadOnlySpan<string> names)
    {
        var values = new string?[names.Length];
        var met = 0;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (met < names.Length && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = -1;
            for (var i = 0; i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    index = i;
                    break;
                }
            }
            if (index >= 0)
            {
                met++;
            }
            reader.Read();
            if (index >= 0 && reader.TokenType == JsonTokenType.String)
            {
                values[index] = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
        return values;
    }
}
