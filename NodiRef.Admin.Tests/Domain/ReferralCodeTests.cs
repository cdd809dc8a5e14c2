using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Domain;

public sealed class ReferralCodeTests
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Theory]
    [InlineData("abc")]
    [InlineData("Summer2026")]
    [InlineData("a_b-c")]
    [InlineData("___")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")] // 64
    public void Validate_accepts_well_formed_codes(string code) => Assert.Null(ReferralCode.Validate(code));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_requires_a_code(string? code) => Assert.Contains("required", ReferralCode.Validate(code));

    [Theory]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")] // 65
    public void Validate_refuses_codes_of_the_wrong_length(string code) =>
        Assert.Contains("3 to 64", ReferralCode.Validate(code));

    [Theory]
    [InlineData("ab cd")]
    [InlineData("abc!")]
    [InlineData("abc.d")]
    [InlineData("a/b/c")]
    [InlineData("café")]
    [InlineData("ÄBC")]
    [InlineData("abc\u0661")] // Arabic-Indic digit one: a digit, but not an ASCII one
    public void Validate_refuses_characters_outside_the_alphabet(string code) =>
        Assert.Contains("only letters", ReferralCode.Validate(code));

    [Fact]
    public void Generate_makes_ten_base62_characters_that_pass_validation()
    {
        var code = ReferralCode.Generate();

        Assert.Equal(ReferralCode.GeneratedLength, code.Length);
        Assert.Equal(10, code.Length);
        Assert.All(code, c => Assert.Contains(c, Base62));
        Assert.Null(ReferralCode.Validate(code));
    }

    [Fact]
    public void Generate_gives_distinct_codes_over_the_whole_alphabet()
    {
        var codes = Enumerable.Range(0, 5000).Select(_ => ReferralCode.Generate()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        // Also distinct as keys: generated codes must not clash case-insensitively either.
        Assert.Equal(codes.Count, codes.Select(ReferralCode.ToKey).Distinct(StringComparer.Ordinal).Count());
        // 50,000 characters drawn from 62: every character of the alphabet shows up, nothing else does.
        Assert.Equal(Base62.Order(), codes.SelectMany(c => c).Distinct().Order());
    }

    [Theory]
    [InlineData("Summer", "SUMMER")]
    [InlineData("summer", "SUMMER")]
    [InlineData("a_b-C1", "A_B-C1")]
    public void ToKey_makes_codes_that_differ_only_by_case_equal(string code, string key) =>
        Assert.Equal(key, ReferralCode.ToKey(code));
}
