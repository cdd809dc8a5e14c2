namespace NodiRef.Admin.Features.Tracking;

/// <summary>Settings of the public tracking API (section <c>Tracking</c>; e.g. <c>Tracking__QueueCapacity</c>).</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>Clicks waiting to be written; when full, hits answer 503 instead of dropping anything.</summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Most clicks written in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>
    /// On SQLite, how often the clicks written since the last time are added to the daily rollups (totals
    /// are exact meanwhile: readers count those clicks themselves). Longer means fewer, larger rollup writes.
    /// </summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On SQLite, how often at most the write-ahead log is copied back into the database while clicks are
    /// written, on a thread of its own (<see cref="Data.WalCheckpointer"/>); zero leaves it to SQLite, inside
    /// the click writer's commits once the log passes 10,000 pages.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Links the click writer remembers between batches (it forgets them all whenever anyone else writes).</summary>
    public int LinkCacheSize { get; set; } = 100_000;

    /// <summary>
    /// Proxies whose X-Forwarded-For / X-Real-IP / X-Forwarded-Proto headers are believed: IP addresses, or networks
    /// in CIDR notation (<c>10.0.0.0/8</c>). An entry that is neither stops the start (<see cref="InvalidTrustedProxies"/>):
    /// a typo must not leave the app believing nobody's headers without a word.
    /// </summary>
    public string[] TrustedProxies
    {
        get => _trustedProxies;
        set
        {
            _trustedProxies = value ?? [];
            _networks = null;
        }
    }

    private string[] _trustedProxies = [];
    private System.Net.IPNetwork[]? _networks;

    /// <summary>The trusted proxies as parsed networks (an address is a network of one).</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedNetworks => _networks ??= ParseNetworks(_trustedProxies);

    /// <summary>Whether <paramref name="address"/> is one of the trusted proxies.</summary>
    public bool IsTrustedProxy(System.Net.IPAddress? address)
    {
        if (address is null || _trustedProxies.Length == 0)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in TrustedNetworks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entries of <see cref="TrustedProxies"/> that are neither an address nor a network.</summary>
    public IEnumerable<string> InvalidTrustedProxies =>
        _trustedProxies.Where(e => !System.Net.IPNetwork.TryParse(e?.Trim(), out _) && !System.Net.IPAddress.TryParse(e?.Trim(), out _));

    private static System.Net.IPNetwork[] ParseNetworks(string[] entries)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries)
        {
            var text = entry?.Trim();
            if (System.Net.IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network);
            }
            else if (System.Net.IPAddress.TryParse(text, out var address))
            {
                if (address.IsIPv4MappedToIPv6)
                {
                    address = address.MapToIPv4();
                }

                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
        }

        return [.. networks];
    }

    /// <summary>Requests per minute per client IP on the public routes (per app instance); 0 turns the limit off.</summary>
    public int RequestsPerMinutePerIp { get; set; } = 600;

    /// <summary>
    /// Where partners' share links point: <c>&lt;PublicBaseUrl&gt;/r/&lt;code&gt;</c> (e.g. <c>https://ref.example.com</c>, the public
    /// address of the tracking routes). Unset: the address the dashboard was opened at.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Null when <see cref="PublicBaseUrl"/> is unset or an absolute http(s) URL without query or fragment.</summary>
    public string? InvalidPublicBaseUrl =>
        string.IsNullOrWhiteSpace(PublicBaseUrl)
        || (Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0 && uri.Fragment.Length == 0)
            ? null
            : PublicBaseUrl;
}
