namespace NodiRef.Admin.Domain;

/// <summary>
/// A bearer token for the private API. Only a hash of the secret is stored; the prefix lets
/// people recognise a token in lists and logs.
/// </summary>
public sealed class ApiToken
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = Roles.Viewer;

    /// <summary>The visible start of the token, e.g. <c>nr_4fK2x9Qa</c>.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole token, hex: tokens are long random strings, so a fast hash is enough.</summary>
    public string Hash { get; set; } = "";

    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";

    /// <summary>The user who made it (null when made from the command line); a disabled creator's tokens stop working.</summary>
    public string? CreatedById { get; set; }

    /// <summary>When it stops working by itself (null: until revoked).</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
