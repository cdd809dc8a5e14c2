using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Users;

namespace NodiRef.Admin.Tests.Components;

/// <summary>
/// The dialogs' errors: one look for all of them (the app's inline field error, never the browser's
/// bubble), and an error from the server goes away as soon as its field is changed.
/// </summary>
public sealed class DialogErrorTests : ComponentTest
{
    [Fact]
    public async Task A_taken_external_id_error_clears_when_the_external_id_changes()
    {
        await GivenPartnerAsync("Ada Lovelace", "usr_42");
        SignInAs(Roles.Operator);
        var cut = await OpenAsync<CreatePartnerDialog>();

        Field(cut, "Name").Input("Grace Hopper");
        Field(cut, "External ID").Input("usr_42");
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("already used by partner Ada Lovelace", ControlOf(cut, "External ID").TextContent, StringComparison.Ordinal));

        Field(cut, "External ID").Input("usr_43");

        cut.WaitForAssertion(() => Assert.DoesNotContain("already used", ControlOf(cut, "External ID").TextContent, StringComparison.Ordinal));
        Assert.Empty(ControlOf(cut, "External ID").QuerySelectorAll(".mud-input-error"));
    }

    [Fact]
    public async Task An_empty_name_and_a_blank_name_show_the_same_inline_error_and_the_browser_does_not_validate()
    {
        SignInAs(Roles.Operator);
        var cut = await OpenAsync<CreatePartnerDialog>();
        AssertBrowserDoesNotValidate(cut);

        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Name is required.", ControlOf(cut, "Name").TextContent, StringComparison.Ordinal));
        var empty = ErrorOf(cut, "Name");

        Field(cut, "Name").Input("   ");
        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Name is required.", ControlOf(cut, "Name").TextContent, StringComparison.Ordinal));

        Assert.Equal(empty, ErrorOf(cut, "Name"));
    }

    [Theory]
    [InlineData(nameof(CreatePartnerDialog))]
    [InlineData(nameof(EditPartnerDialog))]
    [InlineData(nameof(ProjectDialog))]
    [InlineData(nameof(AddLinkDialog))]
    [InlineData(nameof(CreateUserDialog))]
    [InlineData(nameof(CreateApiTokenDialog))]
    public async Task No_dialog_form_leaves_validation_to_the_browser(string dialog)
    {
        SignInAs(Roles.Admin);
        var partner = (await GivenPartnerAsync("Ada Lovelace", "usr_42")).Partner;

        var cut = dialog switch
        {
            nameof(CreatePartnerDialog) => await OpenAsync<CreatePartnerDialog>(),
            nameof(EditPartnerDialog) => await OpenAsync(new DialogParameters<EditPartnerDialog> { { d => d.Partner, partner } }),
            nameof(ProjectDialog) => await OpenAsync<ProjectDialog>(),
            nameof(AddLinkDialog) => await OpenAsync(new DialogParameters<AddLinkDialog> { { d => d.PartnerId, partner.Id } }),
            nameof(CreateUserDialog) => await OpenAsync<CreateUserDialog>(),
            _ => await OpenAsync<CreateApiTokenDialog>(),
        };

        AssertBrowserDoesNotValidate(cut);
    }

    [Fact]
    public async Task A_project_name_error_clears_when_the_name_changes_and_the_url_error_stays()
    {
        SignInAs(Roles.Operator);
        var cut = await OpenAsync<ProjectDialog>();

        cut.Find(".mud-dialog form").Submit();
        cut.WaitForAssertion(() => Assert.NotEmpty(ControlOf(cut, "Name").QuerySelectorAll(".mud-input-error")));
        Assert.NotEmpty(ControlOf(cut, "Landing URL").QuerySelectorAll(".mud-input-error"));

        Field(cut, "Name").Input("Spring");

        cut.WaitForAssertion(() => Assert.Empty(ControlOf(cut, "Name").QuerySelectorAll(".mud-input-error")));
        Assert.NotEmpty(ControlOf(cut, "Landing URL").QuerySelectorAll(".mud-input-error"));
    }

    private async Task<IRenderedComponent<TestHost>> OpenAsync<T>(DialogParameters<T>? parameters = null)
        where T : IComponent
    {
        var cut = Render<TestHost>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await cut.InvokeAsync(() => dialogs.ShowAsync<T>("Dialog", parameters ?? []));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".mud-dialog form")));
        return cut;
    }

    /// <summary>
    /// The browser would show its own bubble (and block the submit) for a native <c>required</c>,
    /// <c>type=email</c> or <c>type=url</c> input, unless the form says <c>novalidate</c>.
    /// </summary>
    private static void AssertBrowserDoesNotValidate(IRenderedComponent<TestHost> cut)
    {
        var form = cut.Find(".mud-dialog form");
        var native = form.QuerySelectorAll("input[required], textarea[required], input[type=email], input[type=url], input[pattern]");
        Assert.True(form.HasAttribute("novalidate") || native.Length == 0, $"The browser validates: {string.Join(", ", native.Select(i => i.OuterHtml))}");
    }

    private static AngleSharp.Dom.IElement ControlOf(IRenderedComponent<TestHost> cut, string label) =>
        cut.FindAll(".mud-dialog .mud-input-control").First(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*') == label);

    /// <summary>How the field's error looks: the element, classes and text of its error line under the input.</summary>
    private static string ErrorOf(IRenderedComponent<TestHost> cut, string label)
    {
        var lines = ControlOf(cut, label).QuerySelectorAll(".mud-input-helper-text.mud-input-error");
        Assert.NotEmpty(lines);
        return string.Join(" | ", lines.Select(e => $"{e.TagName}.{e.ClassName}: {e.TextContent.Trim()}"));
    }
}
