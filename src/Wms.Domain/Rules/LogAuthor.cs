namespace Wms.Domain.Rules;

/// <summary>What a new log entry says about its cause: <c>source_entity</c> and the description.</summary>
[GenerateSerializer, Immutable, Alias("Wms.LogAuthor")]
public sealed record LogAuthor([property: Id(0)] string SourceEntity, [property: Id(1)] string Description);
