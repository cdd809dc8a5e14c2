using System.Security.Cryptography;

namespace NodiRef.Admin.Domain;

/// <summary>Rules for referral codes: the format, and generation of random ones.</summary>
public static class ReferralCode
{
    public const int MinLength = 3;
    public const int MaxLength = 64;
    public const int GeneratedLength = 10;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>10 random base-62 characters from a cryptographic RNG.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Base62, GeneratedLength);

    public static string ToKey(string code) => code.ToUpperInvariant();

    /// <summary>Null when the code is well formed, else what is wrong with it.</summary>
    public static string? Validate(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "Code is required.";
        }

        if (code.Length is < MinLength or > MaxLength)
        {
            return $"Code must be {MinLength} to {MaxLength} characters long.";
        }

        foreach (var c in code)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-')
            {
                return "Code may contain only letters A-Z, digits, '_' and '-'.";
            }
        }

        return null;
    }
}
