using Npgsql;
using Wms.Storage.Postgres.Index;

namespace Wms.Storage.Postgres.Tests.Index;

public sealed class IndexDataSourceTests
{
    [Fact]
    public void PreparesStatementsAndSkipsTheSessionResetUnlessTheConnectionStringSaysOtherwise()
    {
        var added = new NpgsqlConnectionStringBuilder(
            IndexDataSource.ConnectionString("Host=db;Username=wms;Password=secret;Maximum Pool Size=7"));
        Assert.Equal(IndexDataSource.MaxAutoPrepare, added.MaxAutoPrepare);
        Assert.True(added.NoResetOnClose);
        // Everything else is kept, the password and pool cap included.
        Assert.Equal("secret", added.Password);
        Assert.Equal(7, added.MaxPoolSize);

        var given = new NpgsqlConnectionStringBuilder(
            IndexDataSource.ConnectionString("Host=db;Max Auto Prepare=0;No Reset On Close=false"));
        Assert.Equal(0, given.MaxAutoPrepare);
        Assert.False(given.NoResetOnClose);
    }
}
