using System.Globalization;
using System.Text.RegularExpressions;

namespace Wms.Api.Tests.Telemetry;

/// <summary>
/// One scrape of <c>/metrics</c> in the Prometheus text format, read into samples: a name, its labels and a value.
/// Comments (<c># TYPE</c>, <c># HELP</c>) are kept by name so tests can check what a metric is declared as.
/// </summary>
public sealed partial class PrometheusText
{
    private PrometheusText(string text, List<Sample> samples, Dictionary<string, string> types)
    {
        Text = text;
        Samples = samples;
        Types = types;
    }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Metric family name → its declared type (counter, gauge, histogram...).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Scrapes <c>/metrics</c> of the service <paramref name="http"/> points at; it must answer 200.</summary>
    public static async Task<PrometheusText> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {text}");
        return Parse(text);
    }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = Unescape(label.Groups["value"].Value);
            }
            samples.Add(new Sample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }
        return new PrometheusText(text, samples, types);
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include every one given.</summary>
    public IEnumerable<Sample> Of(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    /// <summary>The one sample of <paramref name="name"/> with these labels; null when there is none.</summary>
    public double? Value(string name, params (string Key, string Value)[] labels)
    {
        var found = Of(name, labels).ToList();
        Assert.True(found.Count <= 1, $"{found.Count} samples of {name} match {string.Join(", ", labels)}");
        return found.Count == 0 ? null : found[0].Value;
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string value) =>
        value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal);

    // name{labels} value [timestamp]
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}
