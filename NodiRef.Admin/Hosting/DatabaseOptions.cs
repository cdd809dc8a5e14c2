namespace NodiRef.Admin.Hosting;

public static class DatabaseConfiguration
{
    /// <summary>
    /// <c>ConnectionStrings:Default</c>, or a SQLite file in the app's data folder (created on demand).
    /// </summary>
    public static string ResolveConnectionString(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var folder = Path.Combine(contentRoot, "App_Data");
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "nodiref.db")}";
    }
}
