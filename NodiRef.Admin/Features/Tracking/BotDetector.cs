using System.Text.RegularExpressions;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>Crawlers and link-preview fetchers open links too; their clicks are stored as discarded.</summary>
public static partial class BotDetector
{
    public static bool IsBot(string? userAgent) => userAgent is not null && BotPattern().IsMatch(userAgent);

    // Named crawlers only: a generic "bot" would also match phones such as the CUBOT brand.
    [GeneratedRegex(@"googlebot|bingbot|yandexbot|duckduckbot|baiduspider|slurp|facebookexternalhit|twitterbot|linkedinbot|slackbot|discordbot|telegrambot|applebot|petalbot|semrushbot|ahrefsbot|mj12bot|embedly|crawler|spider", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotPattern();
}
