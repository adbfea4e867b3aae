namespace Wms.Silo.Configuration;

/// <summary>
/// What the upstream settings held: the configuration keys and values they give the sections, and the refusals of
/// the values that could not be read, which the options validators report.
/// </summary>
public sealed class UpstreamValues(
    IReadOnlyDictionary<string, string?> keys, IReadOnlyList<(string Key, string Refusal)> refusals)
{
    public IReadOnlyDictionary<string, string?> Keys { get; } = keys;

    /// <summary>The refusals of settings whose key lies in <paramref name="section"/>.</summary>
    public IEnumerable<string> RefusalsIn(string section) => refusals
        .Where(r => r.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
        .Select(r => r.Refusal);
}
