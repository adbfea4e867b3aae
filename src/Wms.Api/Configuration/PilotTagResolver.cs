using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Wms.Requests;

namespace Wms.Api.Configuration;

/// <summary>
/// Pins a requested pilot tag to a concrete one, offline: from a directory of <c>ewms-pilot:&lt;tag&gt;</c> images
/// or a configured list. <c>latest</c> is the highest X.Y.Z by version order.
/// </summary>
public sealed partial class PilotTagResolver(IOptions<ApiOptions> options) : IPilotTagResolver
{
    private const string ImagePrefix = "ewms-pilot:";

    [GeneratedRegex(@"^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$")]
    private static partial Regex Release();

    /// <summary>The concrete tag, or null when it is not known here.</summary>
    public string? Resolve(string requested)
    {
        var known = KnownTags();
        if (requested != PilotTag.Latest)
        {
            return known.Contains(requested) ? requested : null;
        }
        return known
            .Select(t => (Tag: t, Match: Release().Match(t)))
            .Where(x => x.Match.Success)
            .OrderByDescending(x => int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture))
            .ThenByDescending(x => int.Parse(x.Match.Groups[2].Value, CultureInfo.InvariantCulture))
            .ThenByDescending(x => int.Parse(x.Match.Groups[3].Value, CultureInfo.InvariantCulture))
            .Select(x => x.Tag)
            .FirstOrDefault();
    }

    private HashSet<string> KnownTags()
    {
        var directory = options.Value.PilotImagesDirectory;
        if (string.IsNullOrWhiteSpace(directory))
        {
            return options.Value.PilotTags.ToHashSet();
        }
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return Directory.EnumerateFileSystemEntries(directory)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n.StartsWith(ImagePrefix, StringComparison.Ordinal))
            .Select(n => n![ImagePrefix.Length..])
            .ToHashSet();
    }
}
