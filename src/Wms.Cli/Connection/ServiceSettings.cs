using Wms.Domain.Model;

namespace Wms.Cli.Connection;

/// <summary>Where the service is, the caller's token, the generation spoken and how often to retry.</summary>
public sealed record ServiceSettings(Uri BaseAddress, string? Token, ApiGeneration Generation, int Retries)
{
    /// <summary>
    /// Settles the settings from the command line, then the environment: an option wins over its variable. A token
    /// is optional (a service with authentication off needs none); a URL is not.
    /// </summary>
    public static ServiceSettings Resolve(
        string? url, FileInfo? tokenFile, string api, int retries, Func<string, string?> environment)
    {
        var address = url ?? environment(GlobalOptions.UrlVariable);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw CommandFailedException.Usage($"no service URL: give --url or set {GlobalOptions.UrlVariable}");
        }
        var token = tokenFile is null ? environment(GlobalOptions.TokenVariable) : ReadToken(tokenFile);
        return new ServiceSettings(
            BaseAddressOf(address.Trim()),
            string.IsNullOrWhiteSpace(token) ? null : token.Trim(),
            api == "v0" ? ApiGeneration.V0 : ApiGeneration.V1,
            retries);
    }

    /// <summary>The address with a final slash, so that relative paths keep any base path it has.</summary>
    private static Uri BaseAddressOf(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CommandFailedException.Usage($"the service URL '{address}' is not an http or https URL");
        }
        return uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
    }

    private static string ReadToken(FileInfo file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandFailedException.Usage($"cannot read the token file {file.FullName}: {e.Message}");
        }
        return string.IsNullOrWhiteSpace(text)
            ? throw CommandFailedException.Usage($"the token file {file.FullName} is empty")
            : text;
    }
}
