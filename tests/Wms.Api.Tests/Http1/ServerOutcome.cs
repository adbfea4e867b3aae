namespace Wms.Api.Tests.Http1;

/// <summary>What an HTTP server did with a request head: let it through, refused it with a status, waited, or hung up.</summary>
public readonly record struct ServerOutcome(string Kind, int Status)
{
    public static ServerOutcome Passed { get; } = new("passed", 0);

    public static ServerOutcome Waiting { get; } = new("waiting", 0);

    public static ServerOutcome Closed { get; } = new("closed", 0);

    public static ServerOutcome Refused(int status) => new("refused", status);

    public override string ToString() => Status == 0 ? Kind : $"{Kind} {Status}";
}
