using System.Text.Json.Nodes;

namespace Wms.Domain.Explain;

/// <summary>
/// What one taskforce waits for, or why it waits no more: a stable <see cref="Reason"/> code
/// (<see cref="ExplainReason"/>), one or two plain sentences with concrete UTC times and numbers, the epoch seconds
/// at which this state began, the facts it rests on (snake_case members, by reason), and what the user can do
/// (null when nothing).
/// </summary>
public sealed record Explanation(string Reason, string Message, double Since, JsonObject Evidence, string? Action);
