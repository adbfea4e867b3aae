namespace Wms.Testing;

/// <summary>A queue profile as <see cref="FakeMqs"/> holds it (a snapshot; changing it changes nothing).</summary>
public sealed record MqProfile(
    string Mqid,
    string MqgroupId,
    string WorkflowId,
    string Alias,
    bool IsPublic,
    bool IsActivated,
    string? AuthToken,
    string? BrokerType,
    string? BrokerAddress,
    double Timestamp);
