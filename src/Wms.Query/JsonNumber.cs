using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>
/// A JSON number compared by value, independent of how it was written (<c>1</c>, <c>1.0</c>,
/// <c>1e0</c>). Values that fit <see cref="decimal"/> compare exactly, so large integers such as
/// millisecond timestamps never lose precision; others fall back to <see cref="double"/>.
/// </summary>
internal readonly struct JsonNumber : IComparable<JsonNumber>
{
    private readonly decimal _decimal;
    private readonly double _double;
    private readonly bool _isDecimal;

    private JsonNumber(decimal value)
    {
        _decimal = value;
        _double = (double)value;
        _isDecimal = true;
    }

    private JsonNumber(double value)
    {
        _double = value;
        _isDecimal = false;
    }

    public static JsonNumber From(JsonValue value)
    {
        // Parsed documents hold JsonElements; read their raw text to avoid any binary rounding.
        var text = value.TryGetValue(out JsonElement element) ? element.GetRawText() : value.ToJsonString();
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return new JsonNumber(d);
        }

        return new JsonNumber(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    public int CompareTo(JsonNumber other) =>
        _isDecimal && other._isDecimal ? _decimal.CompareTo(other._decimal) : _double.CompareTo(other._double);
}
