using System.Collections.Frozen;
using System.Reflection;

namespace Wms.Api.Ui;

/// <summary>
/// The web view's files, embedded in this assembly (<c>Ui/Assets</c>): read once, kept in memory, found by file name.
/// Only the kinds of file a browser page needs are served, each with its own media type.
/// </summary>
public sealed class UiAssets
{
    private const string ResourcePrefix = "Wms.Api.Ui.Assets.";

    private static readonly Lazy<UiAssets> FromThisAssembly = new(() => Load(typeof(UiAssets).Assembly));

    private readonly FrozenDictionary<string, UiAsset> _byName;

    private UiAssets(FrozenDictionary<string, UiAsset> byName)
    {
        _byName = byName;
    }

    public static UiAssets Embedded => FromThisAssembly.Value;

    public IReadOnlyCollection<UiAsset> All => _byName.Values;

    public UiAsset? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>A file the service cannot do without (a page); its absence is a build mistake.</summary>
    public UiAsset Require(string name) =>
        Find(name) ?? throw new InvalidOperationException($"the web view's {name} is not embedded in {typeof(UiAssets).Assembly.GetName().Name}");

    private static UiAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var name = resource[ResourcePrefix.Length..];
            var type = MediaTypeOf(name)
                ?? throw new InvalidOperationException($"the web view's {name} is of a kind it does not serve");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name] = new UiAsset(name, type, copy.ToArray());
        }
        return new UiAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static string? MediaTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => null,
    };
}
