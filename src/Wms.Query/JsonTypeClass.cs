namespace Wms.Query;

/// <summary>
/// The comparison classes of JSON values. Range operators only compare values of the same
/// class; equality between different classes is always false.
/// </summary>
internal enum JsonTypeClass
{
    Null,
    Number,
    String,
    Object,
    Array,
    Boolean,
}
