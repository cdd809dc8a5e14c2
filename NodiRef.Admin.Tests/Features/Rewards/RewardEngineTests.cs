using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Rewards;

namespace NodiRef.Admin.Tests.Features.Rewards;

/// <summary>The reward computation on its own: amounts, percentages, caps, windows, scopes and currencies.</summary>
public sealed class RewardEngineTests
{
    private static readonly DateTime At = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    private static Conversion Purchase(decimal amount, string currency = "USD", string type = ConversionTypes.Purchase) => new()
    {
        Id = 1,
        EventType = type,
        AmountUnits = MoneyUnits.ToUnits(amount),
        Currency = currency,
        PartnerId = 10,
        LinkId = 20,
        ProjectId = 30,
        CreatedAt = At,
    };

    private static int _ids;

    private static RewardRuleSet Set(RewardScope scope = RewardScope.All, int? scopeId = null, DateTime? starts = null, DateTime? ends = null, bool active = true, params RewardAction[] actions) => new()
    {
        Id = Interlocked.Increment(ref _ids),
        Name = "set",
        Scope = scope,
        ScopeId = scopeId,
        StartsAt = starts,
        EndsAt = ends,
        IsActive = active,
        Actions = [.. actions],
    };

    private static RewardAction Action(RewardType type, decimal amount, decimal? cap = null, string currency = "USD", string actionType = ConversionTypes.Purchase) => new()
    {
        Id = Interlocked.Increment(ref _ids),
        ActionType = actionType,
        RewardType = type,
        RewardAmountUnits = MoneyUnits.ToUnits(amount),
        MaxCapUnits = cap is { } c ? MoneyUnits.ToUnits(c) : null,
        Currency = currency,
    };

    private static List<(decimal, string)> Compute(Conversion c, params RewardRuleSet[] sets) =>
        RewardLedger.Compute(c, sets).Select(l => (l.Amount, l.Currency)).ToList();

    [Fact]
    public void Fixed_amounts_are_paid_in_the_actions_currency_and_percentages_of_the_amount_are_rounded_to_the_currency()
    {
        Assert.Equal([(12.5m, "EUR")], Compute(Purchase(80m), Set(actions: Action(RewardType.Fixed, 12.5m, currency: "EUR"))));
        Assert.Equal([(3.33m, "USD")], Compute(Purchase(33.33m), Set(actions: Action(RewardType.Percentage, 10m))));
        Assert.Equal([(0.01m, "USD")], Compute(Purchase(0.05m), Set(actions: Action(RewardType.Percentage, 10m))));
        Assert.Equal([(1235m, "JPY")], Compute(Purchase(12345m, "JPY"), Set(actions: Action(RewardType.Percentage, 10m, currency: "JPY"))));
        Assert.Equal([(1.235m, "KWD")], Compute(Purchase(12.345m, "KWD"), Set(actions: Action(RewardType.Percentage, 10m, currency: "KWD"))));
    }

    [Fact]
    public void A_cap_bounds_each_reward_and_a_zero_reward_is_not_written()
    {
        Assert.Equal([(50m, "USD")], Compute(Purchase(1000m), Set(actions: Action(RewardType.Percentage, 20m, cap: 50m))));
        Assert.Equal([(5m, "USD")], Compute(Purchase(1000m), Set(actions: Action(RewardType.Fixed, 8m, cap: 5m))));
        Assert.Equal([(40m, "USD")], Compute(Purchase(200m), Set(actions: Action(RewardType.Percentage, 20m, cap: 50m))));
        Assert.Empty(Compute(Purchase(0m), Set(actions: Action(RewardType.Percentage, 20m))));
    }

    [Fact]
    public void A_percentage_in_another_currency_is_not_guessed()
    {
        Assert.Empty(Compute(Purchase(100m, "EUR"), Set(actions: Action(RewardType.Percentage, 10m, currency: "USD"))));
    }

    [Fact]
    public void Only_actions_of_the_conversions_event_type_apply_and_every_matching_one_counts()
    {
        var set = Set(actions: [Action(RewardType.Fixed, 1m), Action(RewardType.Fixed, 2m, actionType: ConversionTypes.Subscription), Action(RewardType.Fixed, 3m)]);
        Assert.Equal([(1m, "USD"), (3m, "USD")], Compute(Purchase(10m), set));
        Assert.Equal([(2m, "USD")], Compute(Purchase(10m, type: ConversionTypes.Subscription), set));
    }

    [Fact]
    public void The_window_includes_its_start_and_excludes_its_end()
    {
        var fixedOne = Action(RewardType.Fixed, 1m);
        Assert.Single(Compute(Purchase(10m), Set(starts: At, actions: fixedOne)));
        Assert.Single(Compute(Purchase(10m), Set(starts: At.AddDays(-1), ends: At.AddTicks(1), actions: fixedOne)));
        Assert.Empty(Compute(Purchase(10m), Set(ends: At, actions: fixedOne)));
        Assert.Empty(Compute(Purchase(10m), Set(starts: At.AddTicks(1), actions: fixedOne)));
    }

    [Fact]
    public void The_scope_matches_the_conversions_project_partner_or_link_and_inactive_sets_never_apply()
    {
        var c = Purchase(10m);
        var one = Action(RewardType.Fixed, 1m);
        Assert.Single(Compute(c, Set(RewardScope.Project, 30, actions: one)));
        Assert.Single(Compute(c, Set(RewardScope.Partner, 10, actions: one)));
        Assert.Single(Compute(c, Set(RewardScope.Link, 20, actions: one)));
        Assert.Empty(Compute(c, Set(RewardScope.Project, 31, actions: one)));
        Assert.Empty(Compute(c, Set(RewardScope.Partner, 11, actions: one)));
        Assert.Empty(Compute(c, Set(RewardScope.Link, 21, actions: one)));
        Assert.Empty(Compute(c, Set(active: false, actions: one)));
    }
}
