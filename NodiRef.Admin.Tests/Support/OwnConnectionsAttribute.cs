using System.Reflection;
using Xunit.v3;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// Marks a test whose services run background work (the click writer's loop) while the test queries too: an in-memory
/// SQLite database is one connection, which two threads must not share, so such a test gets a database file where every
/// context opens its own connection, as in the app. Read by <see cref="TestServices.CreateAsync"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OwnConnectionsAttribute(string why) : Attribute
{
    public string Why { get; } = why;

    /// <summary>Whether the test running now carries the attribute.</summary>
    public static bool OnCurrentTest =>
        TestContext.Current.TestMethod is IXunitTestMethod method && method.Method.GetCustomAttribute<OwnConnectionsAttribute>() is not null;
}
