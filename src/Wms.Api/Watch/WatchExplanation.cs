namespace Wms.Api.Watch;

/// <summary>
/// One taskforce's explanation: its stable reason code, which decides whether watchers are told, and the whole
/// explanation as UTF-8 JSON, sent as the <c>explain</c> event's data as it is (one line, no line breaks).
/// </summary>
public sealed record WatchExplanation(string TaskforceUuid, string Reason, ReadOnlyMemory<byte> Json);
