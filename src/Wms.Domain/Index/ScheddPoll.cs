namespace Wms.Domain.Index;

/// <summary>The latest poll of one kind (a phase: pending-starter or pending-stopper) a schedd's TMS made.</summary>
public sealed record ScheddPoll(string Schedd, string Kind, DateTimeOffset At);
