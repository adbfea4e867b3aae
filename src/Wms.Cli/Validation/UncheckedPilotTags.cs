using Wms.Requests;

namespace Wms.Cli.Validation;

/// <summary>
/// Takes any well-formed pilot tag as known: which pilot images exist is the service's configuration, so the
/// service pins the tag (and refuses an unknown one) when the request arrives.
/// </summary>
public sealed class UncheckedPilotTags : IPilotTagResolver
{
    public static readonly UncheckedPilotTags Instance = new();

    public string? Resolve(string requested) => requested;
}
