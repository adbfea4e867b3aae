namespace Wms.Api.Tests.Http1;

/// <summary>
/// A request head (Latin-1 text: one character per byte) and what both the HTTP server and the first-request judge
/// do with it.
/// </summary>
public sealed record HeadCase(string Name, string Text, ServerOutcome Expected)
{
    public byte[] Bytes => RawHttp.Bytes(Text);

    public override string ToString() => Name;
}
