using System.CommandLine;
using Wms.Cli.Connection;
using Wms.Cli.Output;
using Wms.Domain.Model;

namespace Wms.Cli;

/// <summary>What one invocation works with: the service's settings, a client for it, its routes and the terminal.</summary>
public sealed class Session : IDisposable
{
    private Session(ServiceSettings settings, Terminal terminal, bool json)
    {
        Settings = settings;
        Client = new WmsClient(settings, TimeProvider.System);
        Routes = new Routes(settings.Generation);
        Terminal = terminal;
        Json = json;
    }

    public ServiceSettings Settings { get; }

    public WmsClient Client { get; }

    public Routes Routes { get; }

    public Terminal Terminal { get; }

    /// <summary>Whether to print the service's JSON rather than tables and text.</summary>
    public bool Json { get; }

    public static Session Open(ParseResult result, GlobalOptions options) => new(
        ServiceSettings.Resolve(
            result.GetValue(options.Url),
            result.GetValue(options.TokenFile),
            result.GetValue(options.Api) ?? "v1",
            result.GetValue(options.Retries),
            Environment.GetEnvironmentVariable),
        Terminal.FromConsole(),
        result.GetValue(options.Json));

    /// <summary>The generation asked for, known before any setting of the service is needed.</summary>
    public static ApiGeneration GenerationOf(ParseResult result, GlobalOptions options) =>
        result.GetValue(options.Api) == "v0" ? ApiGeneration.V0 : ApiGeneration.V1;

    public void Dispose() => Client.Dispose();
}
