using Wms.Silo;
using Wms.Silo.Configuration;

// 'migrate' applies the PostgreSQL schema migrations and exits; anything else runs the service.
if (args.Length > 0 && args[0] == "migrate")
{
    var config = new ConfigurationManager();
    config.AddEnvironmentVariables();
    config.AddCommandLine(args[1..]);
    var storage = HostSettings.ReadStorage(config, UpstreamSettings.AddTo(config));
    var applied = await WmsHost.MigrateAsync(storage);
    Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
    return;
}

var app = await WmsHost.BuildAsync(args);
await app.RunAsync();
