namespace Wms.Testing;

/// <summary>Thrown when a JSON document does not satisfy the schema it was checked against.</summary>
public sealed class SchemaViolationException : Exception
{
    public SchemaViolationException(string context, IReadOnlyList<string> violations)
        : base(BuildMessage(context, violations))
    {
        Context = context;
        Violations = violations;
    }

    /// <summary>What was being validated (operation, status, pointer...).</summary>
    public string Context { get; }

    public IReadOnlyList<string> Violations { get; }

    private static string BuildMessage(string context, IReadOnlyList<string> violations) =>
        $"{context}: {violations.Count} schema violation(s):{Environment.NewLine}  - "
        + string.Join(Environment.NewLine + "  - ", violations);
}
