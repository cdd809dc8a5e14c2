using MudBlazor;
using NodiRef.Admin.Components.Shared;

namespace NodiRef.Admin.Features.Rewards;

/// <summary>What the rule-set list and a rule set's page do alike.</summary>
public static class RuleSetActions
{
    /// <summary>Asks, then deletes; a refusal (the set earned rewards, or changed meanwhile) is reported with its reason. True when deleted.</summary>
    public static async Task<bool> DeleteAsync(RuleSetRow row, RuleSetService ruleSets, IDialogService dialogs, ISnackbar snackbar)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, $"Delete the rule set {row.Name} and its {row.ActionCount} action(s)? This cannot be undone. A rule set that has earned rewards cannot be deleted: deactivate it instead." },
            { d => d.ConfirmText, "Delete" },
            { d => d.ConfirmColor, Color.Error },
        };
        var confirm = await dialogs.ShowAsync<ConfirmDialog>($"Delete {row.Name}", parameters);
        if (await confirm.Result is not { Canceled: false })
        {
            return false;
        }

        var result = await ruleSets.DeleteAsync(row.Id, row.Version);
        if (result.Succeeded)
        {
            snackbar.Add($"Rule set {row.Name} deleted.", Severity.Success);
            return true;
        }

        snackbar.Add(result.Describe(), Severity.Warning);
        return false;
    }
}
