using System.Text.Json;

namespace Wms.Cli.Connection;

/// <summary>One answer of a find: its objects as the service wrote them, and where the next page starts (or null).</summary>
public sealed record FindPage(IReadOnlyList<JsonElement> Items, string? NextAfter);
