namespace NodiRef.Admin.Tests.EndToEnd;

/// <summary>Where the browser tests leave what a person may want to look at: <c>artifacts/screenshots/</c> at the repository root (git-ignored).</summary>
public static class Artifacts
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NodiRef.Admin.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    });

    /// <summary>The repository's root (the folder of <c>NodiRef.Admin.sln</c>).</summary>
    public static string RepositoryRoot => Root.Value;

    public static string Screenshots => Folder("artifacts", "screenshots");

    /// <summary>Screenshots taken when a browser test fails.</summary>
    public static string Failures => Folder("artifacts", "screenshots", "failures");

    public static string Screenshot(string name) => Path.Combine(Screenshots, name + ".png");

    public static string Folder(params string[] parts)
    {
        var path = Path.Combine([Root.Value, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }
}
