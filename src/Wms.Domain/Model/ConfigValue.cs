using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>
/// A value in a pilot environment or an HTCondor submit dict: a string, an integer, or a list of strings.
/// </summary>
[GenerateSerializer, Immutable, Alias("Wms.ConfigValue")]
[JsonConverter(typeof(ConfigValueJsonConverter))]
public sealed record ConfigValue
{
    [Id(0)] public string? Text { get; init; }
    [Id(1)] public long? Integer { get; init; }
    [Id(2)] public List<string>? List { get; init; }

    public static ConfigValue Of(string text) => new() { Text = text };
    public static ConfigValue Of(long integer) => new() { Integer = integer };
    public static ConfigValue Of(List<string> list) => new() { List = list };

    public bool Equals(ConfigValue? other) =>
        other is not null && Text == other.Text && Integer == other.Integer &&
        (List is null ? other.List is null : other.List is not null && List.SequenceEqual(other.List));

    public override int GetHashCode() => HashCode.Combine(Text, Integer, List?.Count);
}
