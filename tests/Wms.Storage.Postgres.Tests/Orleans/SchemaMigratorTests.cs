namespace Wms.Storage.Postgres.Tests.OrleansProviders;

public sealed class SchemaMigratorTests
{
    /// <summary>Every key Orleans 10.4.2 loads for clustering (9 + the optional per-row cleanup), storage and reminders.</summary>
    public static readonly string[] OrleansQueryKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Embedded_migrations_apply_once_and_a_second_run_is_a_no_op()
    {
        var connectionString = await OrleansTestDatabase.CreateEmptyAsync();
        var migrator = new SchemaMigrator();
        Assert.Contains(migrator.Migrations, m => m.Id == "0001_orleans_schema");
        Assert.Contains(migrator.Migrations, m => m.Id == "0002_orleans_queries");
        Assert.False(await migrator.IsUpToDateAsync(connectionString));

        var first = await migrator.MigrateAsync(connectionString);
        var second = await migrator.MigrateAsync(connectionString);

        Assert.Equal(migrator.Migrations.Select(m => m.Id), first);
        Assert.Empty(second);
        Assert.True(await migrator.IsUpToDateAsync(connectionString));
        var recorded = await OrleansTestDatabase.RowsAsync(
            connectionString, "SELECT version, name, checksum FROM public.wms_schema_migrations ORDER BY version");
        Assert.Equal(
            migrator.Migrations.Select(m => (m.Version, m.Name, m.Checksum)),
            recorded.Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!)));
    }

    [Fact]
    public async Task Orleans_query_table_holds_every_key_and_its_rows_are_idempotent_upserts()
    {
        var connectionString = await OrleansTestDatabase.CreateMigratedAsync();
        var queries = new SchemaMigrator().Migrations.Single(m => m.Id == "0002_orleans_queries");

        // Re-running the upserts (as a later migration that replaces texts would) changes nothing and fails nothing.
        await OrleansTestDatabase.ExecuteAsync(connectionString, queries.Sql);

        var keys = await OrleansTestDatabase.RowsAsync(
            connectionString, "SELECT querykey FROM orleans.orleansquery WHERE querytext <> ''");
        Assert.Equal(OrleansQueryKeys.Order(StringComparer.Ordinal), keys.Select(r => (string)r[0]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_migrators_at_once_apply_each_migration_exactly_once()
    {
        var connectionString = await OrleansTestDatabase.CreateEmptyAsync();
        var results = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SchemaMigrator().MigrateAsync(connectionString))));

        var all = new SchemaMigrator().Migrations.Select(m => m.Id).ToList();
        Assert.Equal(all, results.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.Equal(
            (long)all.Count,
            await OrleansTestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM public.wms_schema_migrations"));
    }

    [Fact]
    public async Task A_migration_failing_half_way_leaves_no_trace_and_a_later_run_completes()
    {
        var connectionString = await OrleansTestDatabase.CreateEmptyAsync();
        (string, string) first = ("0001_first.sql", "CREATE TABLE t_first (id int); INSERT INTO t_first VALUES (1);");
        (string, string) broken = ("0002_second.sql",
            "CREATE TABLE t_second (id int); INSERT INTO t_first VALUES (2); SELECT 1 / 0;");
        (string, string) fixedSecond = ("0002_second.sql", "CREATE TABLE t_second (id int); INSERT INTO t_first VALUES (2);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new SchemaMigrator([first, broken]).MigrateAsync(connectionString));
        Assert.Contains("0002_second", error.Message);

        // 0001 committed on its own; nothing of 0002 remains: no table, no row, no record.
        Assert.Null(await OrleansTestDatabase.ScalarAsync(connectionString, "SELECT to_regclass('t_second')::text"));
        Assert.Equal(1L, await OrleansTestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM t_first"));
        Assert.Equal(1L, await OrleansTestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM public.wms_schema_migrations"));
        Assert.False(await new SchemaMigrator([first, fixedSecond]).IsUpToDateAsync(connectionString));

        var applied = await new SchemaMigrator([first, fixedSecond]).MigrateAsync(connectionString);

        Assert.Equal(["0002_second"], applied);
        Assert.Equal(2L, await OrleansTestDatabase.ScalarAsync(connectionString, "SELECT count(*) FROM t_first"));
        Assert.True(await new SchemaMigrator([first, fixedSecond]).IsUpToDateAsync(connectionString));
    }

    [Fact]
    public async Task An_applied_migration_whose_sql_changed_is_refused()
    {
        var connectionString = await OrleansTestDatabase.CreateEmptyAsync();
        await new SchemaMigrator([("0001_first.sql", "CREATE TABLE t_first\n(id int);")]).MigrateAsync(connectionString);
        var edited = new SchemaMigrator([
            ("0001_first.sql", "CREATE TABLE t_first\n(id bigint);"),
            ("0002_second.sql", "CREATE TABLE t_second (id int);"),
        ]);

        var error = await Assert.ThrowsAsync<SchemaMigrationChecksumException>(() => edited.MigrateAsync(connectionString));
        Assert.Contains("0001_first", error.Message);
        await Assert.ThrowsAsync<SchemaMigrationChecksumException>(() => edited.IsUpToDateAsync(connectionString));
        Assert.Null(await OrleansTestDatabase.ScalarAsync(connectionString, "SELECT to_regclass('t_second')::text"));

        // A line-ending change alone is not an edit.
        Assert.True(await new SchemaMigrator([("0001_first.sql", "CREATE TABLE t_first\r\n(id int);")])
            .IsUpToDateAsync(connectionString));
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_Upper.sql")]
    [InlineData("0001_no_extension")]
    public void Badly_named_migrations_are_rejected(string fileName) =>
        Assert.Throws<ArgumentException>(() => new SchemaMigrator([(fileName, "SELECT 1;")]));

    [Fact]
    public void Two_migrations_with_one_version_are_rejected() =>
        Assert.Throws<ArgumentException>(() => new SchemaMigrator([("0001_a.sql", "SELECT 1;"), ("0001_b.sql", "SELECT 1;")]));
}
