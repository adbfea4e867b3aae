namespace Wms.Cli.Connection;

/// <summary>
/// One event of a Server-Sent Events stream: its <paramref name="Id"/> (null when the event set none), its name
/// (<c>message</c> when unnamed) and its data, the lines of <c>data:</c> joined.
/// </summary>
public sealed record ServerEvent(string? Id, string Name, string Data);
