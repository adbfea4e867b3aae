using Npgsql;

namespace Wms.Storage.Postgres.Tests.OrleansProviders;

/// <summary>
/// Orleans' providers open a connection per operation; a connection handed back to the pool must not make the next
/// one carry Npgsql's session reset (seven statements once statements are prepared).
/// </summary>
public sealed class ProviderConnectionStringTests
{
    [Fact]
    public async Task AConnectionBackFromThePoolKeepsItsSessionUnlessTheStringAsksForAReset()
    {
        var connectionString = await OrleansTestDatabase.CreateMigratedAsync();
        // One connection, so that the second open is the same session as the first.
        var provider = OrleansPostgres.ProviderConnectionString($"{connectionString};Maximum Pool Size=1");
        Assert.Equal("marked", await SettingAfterReopenAsync(provider));

        var resetting = OrleansPostgres.ProviderConnectionString($"{connectionString};Maximum Pool Size=1;No Reset On Close=false");
        Assert.NotEqual("marked", await SettingAfterReopenAsync(resetting));
    }

    [Fact]
    public void TheOperatorsOtherSettingsAreKept()
    {
        var built = new NpgsqlConnectionStringBuilder(
            OrleansPostgres.ProviderConnectionString("Host=db;Username=wms;Password=secret;Max Auto Prepare=5"));
        Assert.Equal("secret", built.Password);
        Assert.Equal(5, built.MaxAutoPrepare);
        Assert.Equal(OrleansPostgres.Schema, built.SearchPath);
        Assert.True(built.NoResetOnClose);
    }

    // A session setting made on one use of the pooled connection, read back on the next.
    private static async Task<string?> SettingAfterReopenAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            await using var set = new NpgsqlCommand("SET application_name = 'marked'", first);
            await set.ExecuteNonQueryAsync();
        }
        await using var second = await dataSource.OpenConnectionAsync();
        await using var show = new NpgsqlCommand("SHOW application_name", second);
        return (string?)await show.ExecuteScalarAsync();
    }
}
