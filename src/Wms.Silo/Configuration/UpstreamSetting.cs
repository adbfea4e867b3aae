namespace Wms.Silo.Configuration;

/// <summary>
/// One setting under the name the original service gave it (an environment variable, e.g. REST_PORT), the
/// configuration key it fills (e.g. Rest:Port) and how its text is read.
/// </summary>
/// <param name="Name">The upstream name, as operators set it: REST_PORT.</param>
/// <param name="Key">The configuration key its value fills: Rest:Port.</param>
/// <param name="Format">How its text becomes configuration.</param>
/// <param name="Requirement">What a value must be, as refusals say it: "a port number".</param>
public sealed record UpstreamSetting(string Name, string Key, SettingFormat Format, string Requirement = "a value")
{
    /// <summary>The refusal of <paramref name="value"/>, naming this setting.</summary>
    public string Refusal(string value) =>
        Format.QuotesValue ? $"{Name} must be {Requirement}, not '{value}'" : $"{Name} must be {Requirement}";
}
