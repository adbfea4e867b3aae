namespace Wms.Silo;

/// <summary>
/// The service cannot start, for a reason an operator can act on; the message says which and is all that is
/// printed: no stack trace.
/// </summary>
public sealed class StartupException(string message, Exception? cause = null) : Exception(message, cause);
