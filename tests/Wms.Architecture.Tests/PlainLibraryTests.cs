using System.Xml.Linq;

namespace Wms.Architecture.Tests;

/// <summary>
/// The request readers and the command-line client stay plain .NET: no ASP.NET Core, no Orleans hosting, so that the
/// client carries nothing of the server and the readers stay usable anywhere.
/// </summary>
public sealed class PlainLibraryTests
{
    [Theory]
    [InlineData("Wms.Requests")]
    [InlineData("Wms.Cli")]
    public void TakesNoServerFrameworkOrPackage(string project)
    {
        var file = Path.Combine(ProjectGraph.RepositoryRoot(), "src", project, project + ".csproj");
        var references = XDocument.Load(file).Descendants()
            .Where(e => e.Name.LocalName is "FrameworkReference" or "PackageReference")
            .Select(e => e.Attribute("Include")!.Value)
            .Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal))
            .ToList();
        Assert.True(references.Count == 0, $"{project} references {string.Join(", ", references)}");
    }
}
