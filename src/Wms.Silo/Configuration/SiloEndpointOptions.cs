namespace Wms.Silo.Configuration;

/// <summary>Where this silo meets the others (silo-to-silo) and Orleans clients (the gateway).</summary>
public sealed class SiloEndpointOptions
{
    /// <summary>The address other silos reach this one on; with PostgreSQL storage, where silos meet there.</summary>
    public string Address { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
