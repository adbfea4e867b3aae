using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>
/// The structure of the WMS <c>/v0</c> OpenAPI document (embedded fixture), with checks of
/// request and response bodies against it. Immutable and safe to share between tests.
/// </summary>
public sealed class V0Schema : WmsSchema
{
    private const string ResourceName = "Wms.Testing.Fixtures.ewms-wms-v0-structure.json";
    private static readonly Lazy<V0Schema> SharedInstance = new(() => new V0Schema());

    /// <summary>Loads the embedded v0 structure fixture.</summary>
    public V0Schema()
        : this(LoadEmbedded(ResourceName))
    {
    }

    /// <summary>Uses an already-parsed structure document (same layout as the fixture).</summary>
    public V0Schema(JsonObject structure)
        : base(structure)
    {
    }

    /// <summary>One loaded instance for the whole test run.</summary>
    public static V0Schema Shared => SharedInstance.Value;

    /// <summary>
    /// Every templated path of the upstream <c>/v0</c> document (including <c>/v0/</c> and <c>/v0/schema/openapi</c>),
    /// in ordinal order. The fixture script keeps every path, so this is the upstream path set.
    /// </summary>
    public static IReadOnlyList<string> Paths => Shared.SortedPaths();
}
