using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using StandardWebhooks;

namespace NodiRef.Admin.Features.Webhooks;

/// <summary>
/// Endpoint secrets and signatures, per the Standard Webhooks specification (signed with its published library): a
/// secret is <c>whsec_</c> and 24 random bytes in base64, kept in the database protected by Data Protection; a delivery
/// carries <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of
/// id.timestamp.body&gt;</c>, with a second signature by the previous secret while a rotation's overlap lasts.
/// </summary>
public sealed class WebhookSigning(IDataProtectionProvider protection)
{
    public const string SecretPrefix = "whsec_";

    private readonly IDataProtector _protector = protection.CreateProtector("NodiRef.Webhooks.Secrets");

    /// <summary>A new secret, in the clear (shown once), and as stored.</summary>
    public (string Secret, string Stored) NewSecret()
    {
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        return (secret, _protector.Protect(secret));
    }

    public string Reveal(string stored) => _protector.Unprotect(stored);

    /// <summary>The <c>webhook-signature</c> value: one <c>v1,…</c> per secret, space-separated.</summary>
    public string Sign(WebhookEndpoint endpoint, string messageId, DateTimeOffset at, string body, DateTime now)
    {
        var signatures = new List<string> { SignWith(Reveal(endpoint.Secret), messageId, at, body) };
        if (endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretUntil > now)
        {
            signatures.Add(SignWith(Reveal(previous), messageId, at, body));
        }

        return string.Join(' ', signatures);
    }

    private static string SignWith(string secret, string messageId, DateTimeOffset at, string body) =>
        new StandardWebhook(secret).Sign(messageId, at, body);
}
