namespace Wms.Domain.Index;

/// <summary>
/// Narrows a find of workflows to those one caller created. <see cref="Subject"/> is the authenticated subject they
/// were submitted by; null stands for the workflows created with authentication off, whose creator is unknown.
/// </summary>
public sealed record Creator(string? Subject);
