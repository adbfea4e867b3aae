namespace Wms.Testing;

/// <summary>The roles the real MQS admits, each to its own routes.</summary>
public enum MqsRole
{
    /// <summary>The WMS itself: reservation, activation and (v1) the read of one profile.</summary>
    SystemWms,

    /// <summary>A person (or their scripts): the public-profile read.</summary>
    User,
}
