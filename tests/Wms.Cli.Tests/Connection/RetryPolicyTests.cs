using System.Net;
using System.Net.Http.Headers;
using Wms.Cli.Connection;

namespace Wms.Cli.Tests.Connection;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WithoutRetryAfterTheWaitDoublesFromHalfASecond()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), RetryPolicy.Wait(1, null, Now));
        Assert.Equal(TimeSpan.FromSeconds(1), RetryPolicy.Wait(2, null, Now));
        Assert.Equal(TimeSpan.FromSeconds(2), RetryPolicy.Wait(3, null, Now));
        Assert.Equal(RetryPolicy.MaxWait, RetryPolicy.Wait(10, null, Now));
    }

    [Fact]
    public void RetryAfterIsWaitedForAsAskedInSecondsOrAsADateAndNeverBeyondTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.Wait(1, new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), Now));
        Assert.Equal(TimeSpan.FromSeconds(20), RetryPolicy.Wait(3, new RetryConditionHeaderValue(Now.AddSeconds(20)), Now));
        Assert.Equal(RetryPolicy.MaxWait, RetryPolicy.Wait(1, new RetryConditionHeaderValue(TimeSpan.FromHours(1)), Now));
        // A date already past says nothing about how long: the back-off decides.
        Assert.Equal(TimeSpan.FromSeconds(1), RetryPolicy.Wait(2, new RetryConditionHeaderValue(Now.AddSeconds(-5)), Now));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.NotImplemented, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.UnprocessableEntity, false)]
    public void OnlyWhatMayPassIsRetried(HttpStatusCode status, bool retried) =>
        Assert.Equal(retried, RetryPolicy.IsRetryable(status));
}
