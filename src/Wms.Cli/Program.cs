using Wms.Cli;

return await WmsCli.RunAsync(args, Console.Error);
