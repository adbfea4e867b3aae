using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Pages;

/// <summary>The same on a database of its own in PostgreSQL.</summary>
public sealed class PostgresWebViewFixture : WebViewFixture
{
    protected override StorageMode Mode => StorageMode.Postgres;
}
