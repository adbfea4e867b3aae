namespace Wms.Silo.Http1;

/// <summary>What every <see cref="FirstRequestGate"/> of a listener shares: the server's header timeout, the clock, the log.</summary>
public sealed record GateSettings(TimeSpan HeadersTimeout, TimeProvider Time, ILogger Log);
