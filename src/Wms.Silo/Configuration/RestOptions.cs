namespace Wms.Silo.Configuration;

/// <summary>Where the /v0 API listens, and the largest request body it accepts.</summary>
public sealed class RestOptions
{
    public const long DefaultMaxRequestBytes = 16 * 1024 * 1024;

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8080;

    /// <summary>A larger request body answers 413.</summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;
}
