namespace Wms.Silo.Health;

/// <summary>What one probe of the MQS found: whether it answered, and in words what it answered.</summary>
public sealed record MqsProbe(bool Reachable, string Description);
