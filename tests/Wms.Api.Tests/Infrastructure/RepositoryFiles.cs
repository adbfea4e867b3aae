using System.Reflection;

namespace Wms.Api.Tests.Infrastructure;

/// <summary>Finds files of this repository, whose root the build recorded in this assembly.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = typeof(RepositoryFiles).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
