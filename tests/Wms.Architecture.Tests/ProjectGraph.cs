using System.Xml.Linq;

namespace Wms.Architecture.Tests;

/// <summary>The solution's projects under <c>src/</c> and the projects each one references directly.</summary>
public sealed class ProjectGraph
{
    private ProjectGraph(IReadOnlyDictionary<string, IReadOnlyList<string>> references) => References = references;

    /// <summary>Project name → names of the projects it references.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> References { get; }

    public static ProjectGraph Load()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var references = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var file in Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories))
        {
            var names = XDocument.Load(file).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .ToList();
            references[Path.GetFileNameWithoutExtension(file)] = names;
        }
        return new ProjectGraph(references);
    }

    /// <summary>Every project reachable from <paramref name="project"/>, itself excluded.</summary>
    public IReadOnlySet<string> Reachable(string project)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>(References.GetValueOrDefault(project) ?? []);
        while (todo.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var further in References.GetValueOrDefault(next) ?? [])
                {
                    todo.Push(further);
                }
            }
        }
        return seen;
    }

    /// <summary>The folder holding <c>Wms.sln</c>, found above the test's output.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wms.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Wms.sln not found above " + AppContext.BaseDirectory);
    }
}
