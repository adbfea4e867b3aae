using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>
/// The structure of the WMS <c>/v1</c> OpenAPI document (embedded fixture), with checks of request and response
/// bodies against it. Stricter than the upstream document where upstream is looser than what the WMS really
/// answers or what TMS v1.2.4 reads (whole objects outside finds, the pending-starter and pending-stopper answers,
/// MQ profiles); <c>Fixtures/make-structure.py</c> lists each tightening. Immutable and safe to share between tests.
/// </summary>
public sealed class V1Schema : WmsSchema
{
    /// <summary>A profile as the pending-starter answer carries it: <c>#/components/schemas/MQProfileObject</c>.</summary>
    public const string MqProfileObject = "#/components/schemas/MQProfileObject";

    /// <summary>A taskforce with every /v1 field, as answered outside finds.</summary>
    public const string WholeTaskforceObject = "#/components/schemas/WholeTaskforceObject";

    /// <summary>A task directive with every /v1 field, as answered outside finds.</summary>
    public const string WholeTaskDirectiveObject = "#/components/schemas/WholeTaskDirectiveObject";

    /// <summary>A workflow with every /v1 field, as answered outside finds.</summary>
    public const string WholeWorkflowObject = "#/components/schemas/WholeWorkflowObject";

    private const string ResourceName = "Wms.Testing.Fixtures.ewms-wms-v1-structure.json";
    private static readonly Lazy<V1Schema> SharedInstance = new(() => new V1Schema());

    /// <summary>Loads the embedded v1 structure fixture.</summary>
    public V1Schema()
        : this(LoadEmbedded(ResourceName))
    {
    }

    /// <summary>Uses an already-parsed structure document (same layout as the fixture).</summary>
    public V1Schema(JsonObject structure)
        : base(structure)
    {
    }

    /// <summary>One loaded instance for the whole test run.</summary>
    public static V1Schema Shared => SharedInstance.Value;

    /// <summary>
    /// Every templated path of the upstream <c>/v1</c> document (including <c>/v1/</c> and <c>/v1/schema/openapi</c>),
    /// in ordinal order. The fixture script keeps every path, so this is the upstream path set.
    /// </summary>
    public static IReadOnlyList<string> Paths => Shared.SortedPaths();
}
