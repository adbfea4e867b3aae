namespace Wms.Storage.Postgres.Tests.OrleansProviders;

public sealed class PositionalStatementTests
{
    private static readonly string[] Names = ["GrainIdN0", "GrainIdN01", "Payload"];

    [Fact]
    public void NamesBecomeTheirPositionsWhereverAndHoweverOftenTheyAppear()
    {
        Assert.Equal(
            "SELECT $1, $2, $1 FROM t WHERE p = $3 AND q = $3",
            PositionalStatement.Of("SELECT @GrainIdN0, @GrainIdN01, @grainidn0 FROM t WHERE p = @Payload AND q = @Payload;", Names));
    }

    [Fact]
    public void OperatorsThatStartWithAnAtSignAndAddressesAreLeftAlone()
    {
        Assert.Equal(
            "SELECT doc @> $3, a @@ b, 'x@Payload' FROM t",
            PositionalStatement.Of("SELECT doc @> @Payload, a @@ b, 'x@Payload' FROM t", Names));
    }

    [Fact]
    public void NoPositionalTextForAnUnknownNameOrForSeveralStatements()
    {
        Assert.Null(PositionalStatement.Of("SELECT @GrainIdN0, @Other", Names));
        Assert.Null(PositionalStatement.Of("UPDATE t SET a = @Payload; SELECT 1", Names));
    }
}
