using System.Runtime.CompilerServices;

// The index tests check the query plans of the selection statements themselves.
[assembly: InternalsVisibleTo("Wms.Storage.Postgres.Tests")]
