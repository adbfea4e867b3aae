using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>
/// A value in a pilot environment or an HTCondor submit dict: a string, an integer, or a list of strings.
/// </summary>
/// <remarks>The list is kept as stored (<see cref="StoredCollections"/>) and handed out read-only.</remarks>
[GenerateSerializer, Immutable, Alias("Wms.ConfigValue")]
[JsonConverter(typeof(ConfigValueJsonConverter))]
public sealed record ConfigValue
{
    [Id(2)] private readonly List<string>? _list;

    [Id(0)] public string? Text { get; init; }
    [Id(1)] public long? Integer { get; init; }

    public IReadOnlyList<string>? List
    {
        get => _list;
        init => _list = value is null ? null : StoredCollections.ListOf(value);
    }

    public static ConfigValue Of(string text) => new() { Text = text };
    public static ConfigValue Of(long integer) => new() { Integer = integer };
    public static ConfigValue Of(IReadOnlyList<string> list) => new() { List = list };

    public bool Equals(ConfigValue? other) =>
        other is not null && Text == other.Text && Integer == other.Integer &&
        (List is null ? other.List is null : other.List is not null && List.SequenceEqual(other.List));

    public override int GetHashCode() => HashCode.Combine(Text, Integer, List?.Count);
}
