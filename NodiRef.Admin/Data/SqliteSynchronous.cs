namespace NodiRef.Admin.Data;

/// <summary>
/// How far SQLite waits for the disk before a commit is acknowledged (<c>PRAGMA synchronous</c>), in WAL mode:
/// <see cref="Normal"/> survives the app crashing or being killed, but the last commits may be lost when the
/// machine loses power or the OS crashes; <see cref="Full"/> syncs the log at every commit and survives both.
/// </summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}
