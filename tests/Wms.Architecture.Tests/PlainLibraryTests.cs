using System.Xml.Linq;

namespace Wms.Architecture.Tests;

/// <summary>
/// The request readers and the command-line client take no web framework and no Orleans package of their own: the
/// readers stay usable outside the service, and the client talks to the service over HTTP only. (What Wms.Domain
/// brings with it comes along; that is the domain's business.)
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
