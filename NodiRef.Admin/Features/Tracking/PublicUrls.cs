using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace NodiRef.Admin.Features.Tracking;

/// <summary>
/// The public addresses partners and landing pages use: the share link of a code and the base of the tracking API.
/// The base is <see cref="TrackingOptions.PublicBaseUrl"/>, else the address the dashboard was opened at.
/// </summary>
public sealed class PublicUrls(IOptions<TrackingOptions> options, NavigationManager navigation)
{
    /// <summary>The base, without a trailing slash: <c>https://ref.example.com</c>.</summary>
    public string Base => (string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? navigation.BaseUri : options.Value.PublicBaseUrl).TrimEnd('/');

    /// <summary>The link a partner shares: <c>&lt;base&gt;/r/&lt;code&gt;</c>.</summary>
    public string Share(string code) => $"{Base}/r/{Uri.EscapeDataString(code)}";
}
