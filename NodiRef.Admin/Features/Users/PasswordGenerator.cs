using System.Security.Cryptography;

namespace NodiRef.Admin.Features.Users;

public static class PasswordGenerator
{
    // No look-alike characters (0/O, 1/l/I): these passwords are read out and typed by people.
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A random 16-character password (about 93 bits).</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 16);
}
