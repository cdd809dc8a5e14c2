using System.Collections.Frozen;

namespace NodiRef.Admin.Domain;

/// <summary>
/// ISO 4217 currencies in circulation (list of 2026) and their minor units, so amounts are
/// validated against real codes and rewards are rounded to what the currency can pay.
/// </summary>
public static class Currency
{
    // Codes with two minor units (cents); the exceptions follow.
    private const string TwoDecimals =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY COP " +
        "CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR " +
        "JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN " +
        "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP " +
        "SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG";

    private static readonly FrozenDictionary<string, int> MinorUnits = BuildTable();

    public static IReadOnlyCollection<string> Codes => MinorUnits.Keys;

    private static FrozenDictionary<string, int> BuildTable()
    {
        var table = TwoDecimals.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToDictionary(c => c, _ => 2, StringComparer.Ordinal);
        foreach (var code in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".Split(' '))
        {
            table[code] = 0;
        }

        foreach (var code in "BHD IQD JOD KWD LYD OMR TND".Split(' '))
        {
            table[code] = 3;
        }

        table["CLF"] = 4;
        table["UYW"] = 4;
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The upper-case ISO code when <paramref name="value"/> is a currency in circulation, else null.</summary>
    public static string? Normalize(string? value)
    {
        var code = value?.Trim().ToUpperInvariant();
        return code is not null && MinorUnits.ContainsKey(code) ? code : null;
    }

    public static int MinorUnitsOf(string code) => MinorUnits.TryGetValue(code, out var units) ? units : 2;

    /// <summary>Rounds an amount to what the currency can pay (half away from zero, as payouts do).</summary>
    public static decimal Round(decimal amount, string code) => Math.Round(amount, MinorUnitsOf(code), MidpointRounding.AwayFromZero);
}

/// <summary>
/// Money is stored as a whole number of 1/10,000 units: exact on every provider, summable in SQL
/// (SQLite has no decimal type), and fine enough for every currency's minor unit.
/// </summary>
public static class MoneyUnits
{
    public const decimal Scale = 10_000m;

    public static long ToUnits(decimal amount) => (long)Math.Round(amount * Scale, MidpointRounding.AwayFromZero);

    public static decimal FromUnits(long units) => units / Scale;

    public static decimal FromUnits(decimal units) => units / Scale;

    /// <summary>
    /// Sums in SQL add whole 10^8-unit parts and what is left apart (<c>SUM(u / SumSplit)</c>, <c>SUM(u % SumSplit)</c>;
    /// both databases divide integers toward zero and keep the dividend's sign), so no total overflows a 64-bit
    /// integer (SQLite's SUM fails with "integer overflow") however many entries there are; <see cref="Combine"/>
    /// puts the two back together exactly.
    /// </summary>
    public const long SumSplit = 100_000_000;

    /// <summary>The exact total, in units, of a split sum.</summary>
    public static decimal Combine(long wholeParts, long rest) => (decimal)wholeParts * SumSplit + rest;

    /// <summary>The largest amount accepted anywhere (keeps scaled values far inside a 64-bit integer).</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;
}
