using System.Text.RegularExpressions;

namespace Wms.Requests;

/// <summary>What a pilot tag may look like in a request, whichever images are known.</summary>
public static partial class PilotTag
{
    /// <summary>The tag asked for when a request names none: the highest release known.</summary>
    public const string Latest = "latest";

    /// <summary>The schema's tag shapes, anchored as a whole.</summary>
    [GeneratedRegex(@"^(?:[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|latest|[a-z0-9._-]+-[a-z0-9]{1,128})$")]
    public static partial Regex Shape();
}
