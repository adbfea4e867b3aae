using Wms.Silo;

var app = WmsHost.Build(args);
await app.RunAsync();
