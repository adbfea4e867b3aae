namespace Wms.Domain.Index;

/// <summary>A document with the grain-state revision it was taken at; the index never goes back a revision.</summary>
public sealed record Versioned<T>(T Document, long Revision);
