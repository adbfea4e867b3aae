using Xunit.Abstractions;

namespace Wms.Api.Tests.Pages;

/// <summary>The web view's list on PostgreSQL: the index there answers its finds as the memory index does.</summary>
public sealed class WebViewPostgresTests(PostgresWebViewFixture fixture, ITestOutputHelper output)
    : IClassFixture<PostgresWebViewFixture>
{
    [Fact]
    public Task TheListGoesNewestFirstAPageAtATimeAndItsFiltersNarrowIt() =>
        WebViewListPaging.NewestFirstAPageAtATimeAsync(fixture.Host, fixture.Browser, output, "ui-list-last-page-postgres");
}
