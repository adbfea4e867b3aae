namespace Wms.Domain.Model;

/// <summary>
/// Which generation of the REST protocol a request came through. Both are served from one store; the generation
/// decides how objects are shown and which texts new log entries carry.
/// </summary>
public enum ApiGeneration
{
    /// <summary>The 2024 protocol, served at <c>/v0</c>.</summary>
    V0 = 0,

    /// <summary>Today's protocol, served at <c>/v1</c>.</summary>
    V1 = 1,
}
