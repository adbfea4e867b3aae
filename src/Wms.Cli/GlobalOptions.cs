using System.CommandLine;

namespace Wms.Cli;

/// <summary>The options every command takes: where the service is, who calls, which generation, what to print.</summary>
public sealed class GlobalOptions
{
    public const string UrlVariable = "WMS_URL";
    public const string TokenVariable = "WMS_TOKEN";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The service's base URL, e.g. http://127.0.0.1:8080 (default: ${UrlVariable})",
        Recursive = true,
    };

    public Option<FileInfo?> TokenFile { get; } = new("--token-file")
    {
        Description = $"A file holding the bearer token (default: the token in ${TokenVariable}; none when unset)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the service's JSON as it answered, for scripts",
        Recursive = true,
    };

    public Option<string> Api { get; } = CreateApi();

    public Option<int> Retries { get; } = CreateRetries();

    public IEnumerable<Option> All => [Url, TokenFile, Json, Api, Retries];

    /// <summary>Most retries one request may be given: with the back-off's cap, a few minutes at most.</summary>
    public const int MaxRetries = 10;

    private static Option<int> CreateRetries()
    {
        var retries = new Option<int>("--retries")
        {
            Description = "How often to retry a request that reached no service or met a 408, 429 or 5xx",
            DefaultValueFactory = _ => 3,
            Recursive = true,
        };
        retries.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > MaxRetries)
            {
                r.AddError($"--retries must be between 0 and {MaxRetries}");
            }
        });
        return retries;
    }

    private static Option<string> CreateApi()
    {
        var api = new Option<string>("--api")
        {
            Description = "The protocol generation to speak: v1 (today's) or v0 (the 2024 one)",
            DefaultValueFactory = _ => "v1",
            Recursive = true,
        };
        api.AcceptOnlyFromAmong("v0", "v1");
        return api;
    }
}
