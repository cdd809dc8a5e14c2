namespace NodiRef.Admin.Features.Rewards;

/// <summary>What a person does to a ledger entry from the Rewards page.</summary>
public enum RewardMove
{
    Approve,
    Pay,
    Reverse,
}
