namespace NodiRef.Admin.Domain;

/// <summary>A receiver of signed webhooks: where to send, which event types, and the signing secret (kept protected).</summary>
public sealed class WebhookEndpoint : IVersioned
{
    public const int UrlMaxLength = 2000;
    public const int DescriptionMaxLength = 500;

    public int Id { get; set; }
    public string Url { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The event types it wants, space-separated (<c>conversion.accepted reward.paid</c>); empty: every type.</summary>
    public string EventTypes { get; set; } = "";

    public bool IsEnabled { get; set; } = true;

    /// <summary>The signing secret (<c>whsec_…</c>), protected with Data Protection.</summary>
    public string Secret { get; set; } = "";

    /// <summary>The secret before the last rotation, which keeps signing alongside until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecret { get; set; }
    public DateTime? PreviousSecretUntil { get; set; }

    /// <summary>Failed attempts in a row (a success sets it back to 0).</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Since when every attempt has failed; null while it answers.</summary>
    public DateTime? FailingSince { get; set; }
    public DateTime? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>
/// One event in the transactional outbox: written in the transaction of the change that caused it (so never lost, never
/// sent for a change that rolled back), with its whole signed body. The dispatcher fans it out to the endpoints that
/// want it (<see cref="FannedOutAt"/>) as <see cref="WebhookDelivery"/> rows.
/// </summary>
public sealed class WebhookEvent
{
    public long Id { get; set; }

    /// <summary>The <c>webhook-id</c> header and the body's <c>id</c>: <c>msg_…</c>, the same on every attempt.</summary>
    public string MessageId { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTime OccurredAt { get; set; }

    /// <summary>The JSON body sent: <c>{"id","type","timestamp","data"}</c>, data being the API's own JSON of the object.</summary>
    public string Payload { get; set; } = "";
    public DateTime? FannedOutAt { get; set; }

    /// <summary>Set for a test event: sent only to this endpoint.</summary>
    public int? OnlyEndpointId { get; set; }
}

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Succeeded = 1,

    /// <summary>Every attempt of the retry schedule failed (or the endpoint was disabled); can be redelivered.</summary>
    Failed = 2,
}

/// <summary>One event to one endpoint: its attempts so far, when the next is due, and the lease of the instance sending it.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long EventId { get; set; }
    public int EndpointId { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }

    /// <summary>While set in the future, one instance is sending it and no other may.</summary>
    public DateTime? LeasedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

/// <summary>One attempt of a delivery, for the endpoint's delivery log.</summary>
public sealed class WebhookAttempt
{
    public const int ResponseMaxLength = 500;

    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public int EndpointId { get; set; }
    public DateTime At { get; set; }

    /// <summary>The HTTP status answered; null when none came (timeout, refused, not allowed).</summary>
    public int? StatusCode { get; set; }
    public int LatencyMs { get; set; }

    /// <summary>The start of the answer's body, or what went wrong.</summary>
    public string? Response { get; set; }
    public bool Succeeded { get; set; }
}
