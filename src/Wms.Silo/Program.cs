using Wms.Silo;

// 'migrate' applies the PostgreSQL schema migrations and exits; anything else runs the service.
if (args.Length > 0 && args[0] == "migrate")
{
    var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
    var applied = await WmsHost.MigrateAsync(HostSettings.Read(config));
    Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
    return;
}

var app = await WmsHost.BuildAsync(args);
await app.RunAsync();
