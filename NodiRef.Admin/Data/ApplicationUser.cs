using Microsoft.AspNetCore.Identity;

namespace NodiRef.Admin.Data;

public sealed class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; set; }
}
