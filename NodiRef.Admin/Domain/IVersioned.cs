namespace NodiRef.Admin.Domain;

/// <summary>An entity guarded by optimistic concurrency: every save bumps <see cref="Version"/>.</summary>
public interface IVersioned
{
    long Version { get; set; }
}
