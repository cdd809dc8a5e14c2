using System.ComponentModel.DataAnnotations;

namespace NodiRef.Admin.Features.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The waits before each retry of a failed delivery, with ±20 % jitter: about a day in all by default
    /// (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). After the last, the delivery is failed (and can be redelivered).
    /// </summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>Failed attempts in a row after which an endpoint shows as failing.</summary>
    [Range(1, 1000)]
    public int FailingAfter { get; set; } = 5;

    /// <summary>How long an endpoint may keep failing before it is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the secret before a rotation keeps signing alongside the new one.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Whether endpoints may resolve to loopback, private or link-local addresses (off: only public addresses).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Deliveries sent at once by one instance.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 32;

    /// <summary>How long an instance holds a delivery it sends before another may take it over (it died meanwhile).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the dispatcher looks for work when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public IReadOnlyList<TimeSpan> Retries => RetryDelays.Count > 0 ? RetryDelays : DefaultRetryDelays;
}
