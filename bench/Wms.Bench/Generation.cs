namespace Wms.Bench;

/// <summary>The generation of the service's API a simulated client speaks: the <c>/v0</c> one, or today's <c>/v1</c>.</summary>
public enum Generation
{
    V0,
    V1,
}

/// <summary>Paths and request-class names per generation.</summary>
public static class Generations
{
    /// <summary>The prefix of a /v1 request class; classes without it are /v0.</summary>
    public const string V1ClassPrefix = "v1/";

    /// <summary>The route prefix, without slashes: <c>v0</c> or <c>v1</c>.</summary>
    public static string Prefix(this Generation generation) => generation == Generation.V0 ? "v0" : "v1";

    /// <summary>
    /// The request class of <paramref name="name"/> in this generation. A /v0 class keeps its bare name, so that the
    /// figures compare with the runs before /v1 was measured; a /v1 class says so.
    /// </summary>
    public static string Class(this Generation generation, string name) =>
        generation == Generation.V0 ? name : V1ClassPrefix + name;

    /// <summary>The generation a request class was sent in.</summary>
    public static Generation OfClass(string requestClass) =>
        requestClass.StartsWith(V1ClassPrefix, StringComparison.Ordinal) ? Generation.V1 : Generation.V0;
}
