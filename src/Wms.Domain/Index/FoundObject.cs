using System.Text.Json.Nodes;

namespace Wms.Domain.Index;

/// <summary>
/// One object of a paged find: its wire JSON as projected, and the position of the stored object, which holds even
/// when the projection leaves out the timestamp or the id.
/// </summary>
public sealed record FoundObject(JsonObject Document, FindPosition Position);
