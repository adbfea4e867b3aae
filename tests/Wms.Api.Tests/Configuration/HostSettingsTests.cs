using Microsoft.Extensions.Configuration;
using Npgsql;
using Wms.Silo;
using Wms.Silo.Configuration;

namespace Wms.Api.Tests.Configuration;

public sealed class HostSettingsTests
{
    private static StorageOptions Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return HostSettings.ReadStorage(configuration, UpstreamSettings.AddTo(configuration));
    }

    [Fact]
    public void ThePoolsAreCappedUnlessTheConnectionStringSaysOtherwise()
    {
        var capped = Read(("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", "Host=db;Database=wms"));
        Assert.Equal(StorageOptions.DefaultPoolSize,
            new NpgsqlConnectionStringBuilder(capped.ServiceConnectionString).MaxPoolSize);

        var chosen = Read(("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", "Host=db;Database=wms"), ("WMS_POSTGRES_POOL_SIZE", "7"));
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(chosen.ServiceConnectionString).MaxPoolSize);

        var explicitPool = Read(("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", "Host=db;Database=wms;Maximum Pool Size=60"));
        Assert.Equal(60, new NpgsqlConnectionStringBuilder(explicitPool.ServiceConnectionString).MaxPoolSize);
    }

    [Fact]
    public void ABadPoolSizeIsRefusedAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Read(("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", "Host=db"), ("WMS_POSTGRES_POOL_SIZE", "0")));
        Assert.Contains("WMS_POSTGRES_POOL_SIZE", error.Message);
    }
}
