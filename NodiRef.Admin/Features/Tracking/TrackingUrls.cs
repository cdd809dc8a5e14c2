namespace NodiRef.Admin.Features.Tracking;

public static class TrackingUrls
{
    /// <summary>The destination with <c>ref</c> (the code) and <c>tracking_id</c> appended to its query.</summary>
    public static string WithTracking(string destination, string code, Guid trackingId)
    {
        var builder = new UriBuilder(destination);
        var query = builder.Query.TrimStart('?');
        var extra = $"ref={Uri.EscapeDataString(code)}&tracking_id={trackingId}";
        builder.Query = string.IsNullOrEmpty(query) ? extra : query + "&" + extra;
        return builder.Uri.AbsoluteUri;
    }
}
