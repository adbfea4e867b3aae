using System.Buffers.Text;
using System.Text;
using Wms.Grains.Mqs;

namespace Wms.Grains.Tests.Mqs;

/// <summary>A queue token's expiry is its JWT's <c>exp</c>, read without checking the signature; else assumed.</summary>
public sealed class QueueTokenExpiryTests
{
    private static readonly DateTimeOffset Minted = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("""{"sub":"q","exp":1767323045}""", 1767323045.0)]
    [InlineData("""{"nested":{"exp":1},"exp":1767323045.5}""", 1767323045.5)]
    public void TheExpClaimIsRead(string claims, double exp) =>
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(exp), QueueTokenExpiry.Read(Jwt(claims)));

    [Theory]
    [InlineData("opaque-token")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.!!!.sig")]
    [InlineData("")]
    public void WhatIsNoJwtHasNoExpiry(string token) => Assert.Null(QueueTokenExpiry.Read(token));

    [Theory]
    [InlineData("""{"sub":"q"}""")]
    [InlineData("""{"exp":"tomorrow"}""")]
    [InlineData("""{"exp":-5}""")]
    [InlineData("""{"exp":1e300}""")]
    [InlineData("""[1767323045]""")]
    [InlineData("""{"exp":""")]
    public void AJwtWithoutAUsableExpHasNoExpiry(string claims) => Assert.Null(QueueTokenExpiry.Read(Jwt(claims)));

    [Fact]
    public void WithoutAnExpiryTheMqsLifetimeIsAssumedFromTheMinting()
    {
        Assert.Equal(Minted.AddHours(24), QueueTokenExpiry.ReadOrAssume("opaque", Minted));
        Assert.Equal(Minted.AddHours(24), QueueTokenExpiry.ReadOrAssume(null, Minted));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(100), QueueTokenExpiry.ReadOrAssume(Jwt("""{"exp":100}"""), Minted));
    }

    private static string Jwt(string claims) =>
        Base64Url.EncodeToString("""{"alg":"RS256"}"""u8) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims)) + ".c2ln";
}
