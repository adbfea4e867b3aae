namespace Wms.Requests;

/// <summary>Pins a requested pilot tag (already of <see cref="PilotTag.Shape"/>) to the concrete one it names.</summary>
public interface IPilotTagResolver
{
    /// <summary>The concrete tag, or null when no pilot image is known for it.</summary>
    string? Resolve(string requested);
}
