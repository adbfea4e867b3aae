namespace Wms.Domain.Index;

/// <summary>
/// Where a paged find stands: the stored object's <c>timestamp</c> field and its id. Pages run in ascending
/// timestamp, then ids by ordinal comparison; a page resumes strictly after a position, whether or not an object
/// still holds it. A position is plain data, so it outlives the process that handed it out.
/// </summary>
public sealed record FindPosition(double Timestamp, string Id);
