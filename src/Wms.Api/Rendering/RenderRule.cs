using System.Text;
using System.Text.Json;

namespace Wms.Api.Rendering;

/// <summary>What becomes of one member of a stored object when it is shown to one generation.</summary>
public enum RenderAction
{
    /// <summary>Shown as stored (its own members may have rules).</summary>
    Keep,

    /// <summary>Left out.</summary>
    Drop,

    /// <summary>Shown as <c>null</c> whatever is stored.</summary>
    Null,

    /// <summary>Shown under another name.</summary>
    Rename,

    /// <summary>A number is shown as its text: the generation knows this member as a string only.</summary>
    Text,
}

/// <summary>
/// The rules for one object (or each element of one array) of a stored document: what happens to which member,
/// and which members a whole document shows even when it was stored before it had them.
/// </summary>
public sealed class RenderRule
{
    private readonly List<(string Name, byte[] Utf8Name, RenderRule Rule)> _members = [];
    private readonly List<(string Name, byte[] Utf8Name, Action<Utf8JsonWriter> Write)> _defaults = [];

    public RenderAction Action { get; private init; }

    /// <summary>The shown name, for <see cref="RenderAction.Rename"/>.</summary>
    public string? NewName { get; private init; }

    /// <summary>
    /// Members with rules, few enough that a list beats a hash lookup. Each name is kept in UTF-8 too: the reader
    /// compares a member's name with every rule's, and a name given as a string is encoded anew at each comparison.
    /// </summary>
    public IReadOnlyList<(string Name, byte[] Utf8Name, RenderRule Rule)> Members => _members;

    /// <summary>Members a whole document shows even if not stored, written by the given writer.</summary>
    public IReadOnlyList<(string Name, byte[] Utf8Name, Action<Utf8JsonWriter> Write)> Defaults => _defaults;

    public static RenderRule Object() => new();

    public RenderRule Drop(params string[] names)
    {
        foreach (var name in names)
        {
            _members.Add((name, Encoding.UTF8.GetBytes(name), new RenderRule { Action = RenderAction.Drop }));
        }
        return this;
    }

    public RenderRule ShowNull(string name)
    {
        _members.Add((name, Encoding.UTF8.GetBytes(name), new RenderRule { Action = RenderAction.Null }));
        return this;
    }

    public RenderRule ShowAsText(string name)
    {
        _members.Add((name, Encoding.UTF8.GetBytes(name), new RenderRule { Action = RenderAction.Text }));
        return this;
    }

    public RenderRule Rename(string name, string newName)
    {
        _members.Add((name, Encoding.UTF8.GetBytes(name), new RenderRule { Action = RenderAction.Rename, NewName = newName }));
        return this;
    }

    /// <summary>Rules for the member <paramref name="name"/>, an object or an array of objects.</summary>
    public RenderRule Member(string name, RenderRule rule)
    {
        _members.Add((name, Encoding.UTF8.GetBytes(name), rule));
        return this;
    }

    public RenderRule Default(string name, Action<Utf8JsonWriter> write)
    {
        _defaults.Add((name, Encoding.UTF8.GetBytes(name), write));
        return this;
    }
}
