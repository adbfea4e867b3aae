using System.Net;

namespace Wms.Silo.Configuration;

public sealed class SiloEndpointOptionsValidator(UpstreamValues upstream, StorageChoice storage)
    : SettingsValidator<SiloEndpointOptions>(upstream, Section)
{
    private const string Section = SettingsSections.Silo;

    protected override void Check(SiloEndpointOptions options, List<string> failures)
    {
        RequirePort(failures, options.Port, $"{Section}:{nameof(SiloEndpointOptions.Port)}");
        RequirePort(failures, options.GatewayPort, $"{Section}:{nameof(SiloEndpointOptions.GatewayPort)}");
        // Only silos that meet through the database advertise an address; in memory every silo is on loopback.
        if (storage.IsPostgres)
        {
            Require(failures, IPAddress.TryParse(options.Address, out _),
                $"{Section}:{nameof(SiloEndpointOptions.Address)}", options.Address);
        }
    }
}
