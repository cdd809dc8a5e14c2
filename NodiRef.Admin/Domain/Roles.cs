namespace NodiRef.Admin.Domain;

/// <summary>The three roles of the back-office and what each may do.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    /// <summary>
    /// A token-only role for a shop's backend: it may call the tracking API (convert, refund, identify, and
    /// forward its visitor's IP and user agent) and nothing under <c>/api</c>. People never have it.
    /// </summary>
    public const string Tracking = "Tracking";

    /// <summary>The roles of people (users); tokens may also have <see cref="Tracking"/>.</summary>
    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];

    /// <summary>The roles an API token may act with.</summary>
    public static readonly IReadOnlyList<string> TokenRoles = [Admin, Operator, Viewer, Tracking];

    /// <summary>Roles whose tokens may send conversions, refunds and identifies to the tracking API.</summary>
    public static readonly IReadOnlyList<string> TrackingSenders = [Admin, Operator, Tracking];

    /// <summary>Roles that may create and edit partners, projects and links.</summary>
    public const string Editors = Admin + "," + Operator;

    /// <summary>Roles that may read the back-office.</summary>
    public const string Readers = Admin + "," + Operator + "," + Viewer;
}
