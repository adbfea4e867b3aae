using Microsoft.Extensions.Options;
using Wms.Api.Tests.Infrastructure;
using Wms.GrainInterfaces.Configuration;

namespace Wms.Api.Tests.Configuration;

/// <summary>A bad setting stops the start, and the refusal names the setting as operators set it.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("REST_PORT", "abc", "must be a port number, not 'abc'")]
    [InlineData("REST_PORT", "70000", "must be a port number, not '70000'")]
    [InlineData("WMS_SILO_PORT", "-1", "must be a port number, not '-1'")]
    [InlineData("WMS_GATEWAY_PORT", "30 000", "must be a port number, not '30 000'")]
    [InlineData("WMS_MAX_REQUEST_BYTES", "512", "must be a whole number of bytes ≥ 1024, not '512'")]
    [InlineData("WMS_MAX_REQUEST_BYTES", "1e6", "must be a whole number of bytes ≥ 1024, not '1e6'")]
    [InlineData("TMS_ACTION_RETRIES", "-1", "must be a whole number ≥ 0, not '-1'")]
    [InlineData("TMS_ACTION_RETRIES", "two", "must be a whole number ≥ 0, not 'two'")]
    [InlineData("WORKFLOW_MQ_ACTIVATOR_DELAY", "-0.5", "must be a number of seconds ≥ 0, not '-0.5'")]
    [InlineData("WORKFLOW_MQ_ACTIVATOR_MQS_RETRY_WAIT", "soon", "must be a number of seconds ≥ 0, not 'soon'")]
    [InlineData("TASKFORCE_LAUNCH_CONTROL_DELAY", "Infinity", "must be a number of seconds ≥ 0, not 'Infinity'")]
    [InlineData("WMS_LOOP_REMINDER_PERIOD", "1e300", "must be a number of seconds ≥ 0, not '1e300'")]
    [InlineData("MQS_REQUEST_TIMEOUT", "NaN", "must be a number of seconds ≥ 0, not 'NaN'")]
    [InlineData("WMS_STORAGE", "disk", "must be 'memory' or 'postgres', not 'disk'")]
    [InlineData("WMS_POSTGRES_POOL_SIZE", "0", "must be a whole number ≥ 1, not '0'")]
    [InlineData("WMS_CLUSTER_LOCATIONS", "sub-2", "must be a JSON object: location → {\"collector\", \"schedd\"}")]
    [InlineData("WMS_CLUSTER_LOCATIONS", "[\"sub-2\"]", "must be a JSON object")]
    [InlineData("WMS_CLUSTER_LOCATIONS", "{\"sub-2\": null}", "must be a JSON object")]
    [InlineData("WMS_EXPLAIN_TMS_SILENT_AFTER", "0", "must be a number of seconds > 0, not '0'")]
    [InlineData("WMS_EXPLAIN_TMS_SILENT_AFTER", "never", "must be a number of seconds > 0, not 'never'")]
    [InlineData("WMS_EXPLAIN_POLL_FLUSH_INTERVAL", "0",
        "must be a number of seconds > 0, less than WMS_EXPLAIN_TMS_SILENT_AFTER, not '0'")]
    [InlineData("WMS_EXPLAIN_POLL_FLUSH_INTERVAL", "300",
        "must be a number of seconds > 0, less than WMS_EXPLAIN_TMS_SILENT_AFTER, not '300'")]
    [InlineData("WMS_WATCH_BUFFER", "0", "must be a whole number ≥ 1, not '0'")]
    [InlineData("WMS_WATCH_GRACE", "-1", "must be a number of seconds ≥ 0, not '-1'")]
    [InlineData("WMS_WATCH_REFRESH", "0", "must be a number of seconds > 0, not '0'")]
    [InlineData("WMS_WATCH_KEEPALIVE", "0", "must be a number of seconds > 0, not '0'")]
    [InlineData("WMS_WATCH_CLIENT_QUEUE", "none", "must be a whole number ≥ 1, not 'none'")]
    public void ABadSettingFailsValidationByItsName(string name, string value, string refusal)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ConfiguredSettings.ValidateAll((name, value)));
        Assert.Contains($"{name} {refusal}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryLocationNeedsACollectorAndASchedd()
    {
        const string locations = """{"sub-1": {"collector": "c", "schedd": "s"}, "sub-2": {"collector": "c"}}""";
        var e = Assert.Throws<OptionsValidationException>(() =>
            ConfiguredSettings.ValidateAll(("WMS_CLUSTER_LOCATIONS", locations)));
        Assert.Equal("WMS_CLUSTER_LOCATIONS: location 'sub-2' needs a non-empty collector and schedd", e.Message);
    }

    [Theory]
    [InlineData("""{"a": {"collector": "c", "schedd": "s", "aliases": ["x"]}, "b": {"collector": "c", "schedd": "s", "aliases": ["x"]}}""",
        "WMS_CLUSTER_LOCATIONS: 'x' names both 'a' and 'b'")]
    [InlineData("""{"a": {"collector": "c", "schedd": "s", "aliases": ["b"]}, "b": {"collector": "c", "schedd": "s"}}""",
        "WMS_CLUSTER_LOCATIONS: 'b' names both 'b' and 'a'")]
    [InlineData("""{"a": {"collector": "c", "schedd": "s", "aliases": [""]}}""",
        "WMS_CLUSTER_LOCATIONS: location 'a' has an empty alias")]
    public void AnAliasNamesOneLocationOnly(string locations, string refusal)
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            ConfiguredSettings.ValidateAll(("WMS_CLUSTER_LOCATIONS", locations)));
        Assert.Equal(refusal, e.Message);
    }

    [Theory]
    [InlineData("""{"a": {"collector": "c", "schedd": "s", "aliases": "x"}}""")]
    [InlineData("""{"a": {"collector": "c", "schedd": "s", "aliases": [null]}}""")]
    public void AliasesAreAListOfNames(string locations)
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            ConfiguredSettings.ValidateAll(("WMS_CLUSTER_LOCATIONS", locations)));
        Assert.Contains("WMS_CLUSTER_LOCATIONS must be a JSON object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASectionKeyIsHeldToTheSameRulesAndRefusedByTheUpstreamName()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            ConfiguredSettings.Options<WmsOptions>(("Wms:TmsActionRetries", "-3")));
        Assert.Equal(typeof(WmsOptions), e.OptionsType);
        Assert.Contains("TMS_ACTION_RETRIES must be a whole number ≥ 0, not '-3'", e.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresWithoutAConnectionStringIsRefused()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            ConfiguredSettings.ValidateAll(("WMS_STORAGE", "postgres"), ("WMS_AUTH_DISABLED", "true")));
        Assert.Contains("WMS_STORAGE=postgres needs a connection string in WMS_POSTGRES", e.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Password=hunter2;Colour=blue")]
    [InlineData("Host=db;Password=hunter2;Port=eighty")]
    [InlineData("Host=db;Password=hunter2;Pooling")]
    public void AnUnreadableConnectionStringIsRefusedWithoutQuotingIt(string secret)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ConfiguredSettings.ValidateAll(
            ("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", secret), ("WMS_AUTH_DISABLED", "true")));
        Assert.Contains("WMS_POSTGRES", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSiloAddressMustBeAnAddressWhereSilosMeetThroughTheDatabase()
    {
        var e = Assert.Throws<OptionsValidationException>(() => ConfiguredSettings.ValidateAll(
            ("WMS_STORAGE", "postgres"), ("WMS_POSTGRES", "Host=db"), ("WMS_AUTH_DISABLED", "true"),
            ("WMS_SILO_ADDRESS", "silo-1.example")));
        Assert.Contains("WMS_SILO_ADDRESS must be an IP address, not 'silo-1.example'", e.Message,
            StringComparison.Ordinal);

        // In memory every silo is on loopback and the address is not used.
        ConfiguredSettings.ValidateAll(("WMS_SILO_ADDRESS", "silo-1.example"));
    }

    [Fact]
    public async Task TheHostDoesNotBuildOnABadSettingAndNamesIt()
    {
        var settings = WmsServer.DefaultSettings();
        settings["REST_PORT"] = "abc";
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => WmsServer.BuildAsync(settings));
        Assert.Contains("REST_PORT must be a port number, not 'abc'", e.Message, StringComparison.Ordinal);
        Assert.IsType<OptionsValidationException>(e.InnerException);
    }

    [Fact]
    public async Task TheHostNamesEveryBadSettingAtOnce()
    {
        var settings = WmsServer.DefaultSettings();
        settings["TMS_ACTION_RETRIES"] = "-1";
        settings["WMS_CLUSTER_LOCATIONS"] = "not JSON";
        settings["WMS_STORAGE"] = "postgres";
        settings["WMS_AUTH_DISABLED"] = "true";
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => WmsServer.BuildAsync(settings));
        Assert.Contains("TMS_ACTION_RETRIES must be a whole number ≥ 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("WMS_CLUSTER_LOCATIONS must be a JSON object", e.Message, StringComparison.Ordinal);
        Assert.Contains("WMS_STORAGE=postgres needs a connection string", e.Message, StringComparison.Ordinal);
    }
}
