namespace NodiRef.Admin.Domain;

/// <summary>The three roles of the back-office and what each may do.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];

    /// <summary>Roles that may create and edit partners, projects and links.</summary>
    public const string Editors = Admin + "," + Operator;

    /// <summary>Roles that may read the back-office.</summary>
    public const string Readers = Admin + "," + Operator + "," + Viewer;
}
