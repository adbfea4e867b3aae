using Wms.Silo;
using Wms.Silo.Configuration;

try
{
    // 'migrate' applies the PostgreSQL schema migrations and exits; anything else runs the service.
    if (args.Length > 0 && args[0] == "migrate")
    {
        var config = new ConfigurationManager();
        config.AddEnvironmentVariables();
        config.AddCommandLine(args[1..]);
        var upstream = UpstreamSettings.AddTo(config);
        var storage = HostSettings.ReadStorage(config, upstream);
        using (var log = LogFormat.StartupLoggers(config, HostSettings.ReadOperations(config, upstream)))
        {
            await DatabaseWait.UntilReachableAsync(storage, log.CreateLogger("Wms.Silo"));
        }
        var applied = await WmsHost.MigrateAsync(storage);
        Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied: {string.Join(", ", applied)}");
        return 0;
    }

    var app = await WmsHost.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is StartupException or InvalidOperationException { Source: "Wms.Silo" })
{
    // What the operator must fix, in one line; the details are in the log lines before it.
    Console.Error.WriteLine($"wms: cannot start: {e.Message}");
    return 1;
}
