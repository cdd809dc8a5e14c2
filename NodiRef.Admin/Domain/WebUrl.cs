namespace NodiRef.Admin.Domain;

public static class WebUrl
{
    /// <summary>True for an absolute http or https URL with a host.</summary>
    public static bool IsValid(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);
}
