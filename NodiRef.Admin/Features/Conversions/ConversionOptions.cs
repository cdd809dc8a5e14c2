namespace NodiRef.Admin.Features.Conversions;

/// <summary>Settings of recorded conversions (section <c>Conversions</c>; e.g. <c>Conversions__MaxAmount</c>).</summary>
public sealed class ConversionOptions
{
    public const string Section = "Conversions";

    /// <summary>
    /// The largest amount one conversion (or refund) may carry, in any currency. A purchase above it is far more
    /// likely a bug or an attack than a sale, so it is refused with a 400 instead of earning a reward. It can be
    /// raised up to <see cref="MoneyUnits.MaxAmount"/>.
    /// </summary>
    public decimal MaxAmount { get; set; } = 10_000_000m;

    /// <summary>The bound in force: the setting, kept within what the ledger can hold.</summary>
    public decimal EffectiveMaxAmount => MaxAmount is > 0 and <= MoneyUnits.MaxAmount ? MaxAmount : MoneyUnits.MaxAmount;
}
